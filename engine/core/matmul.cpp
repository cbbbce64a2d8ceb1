#include "core/matmul.hpp"

#include "core/gemm.hpp"

namespace profundo {

namespace {

// Below this many multiply-adds a product runs on one thread: waking workers costs more.
constexpr double kMinParallelWork = 64.0 * 1024.0;

}  // namespace

void matmul(ThreadPool& pool, const ConstMatrixMap& a, Transpose transpose_a, const ConstMatrixMap& b,
            Transpose transpose_b, MatrixMap c, bool accumulate) {
  const int m = static_cast<int>(c.rows());
  const int n = static_cast<int>(c.cols());
  const int k = static_cast<int>(transpose_a == Transpose::yes ? a.rows() : a.cols());
  const int lda = static_cast<int>(a.outerStride());
  const int ldb = static_cast<int>(b.outerStride());
  const int ldc = static_cast<int>(c.outerStride());
  const double work = static_cast<double>(m) * n * k;
  if (pool.threads() == 1 || work < kMinParallelWork) {
    gemm({m, n, k}, a.data(), lda, transpose_a, b.data(), ldb, transpose_b, c.data(), ldc, accumulate);
    return;
  }
  const GemmOperand a_operand{a.data(), lda, transpose_a}, b_operand{b.data(), ldb, transpose_b};
  // Rows [r0, r1) of op(a) times op(b) give rows [r0, r1) of c; likewise for columns of op(b).
  if (m >= n) {
    pool.parallel_ranges(m, 4, [&](int begin, int end) {
      const float* a_rows = a_operand.from_row(begin).data;
      gemm({end - begin, n, k}, a_rows, lda, transpose_a, b.data(), ldb, transpose_b,
           c.data() + static_cast<std::size_t>(begin) * ldc, ldc, accumulate);
    });
  } else {
    pool.parallel_ranges(n, 4, [&](int begin, int end) {
      const float* b_columns = b_operand.from_column(begin).data;
      gemm({m, end - begin, k}, a.data(), lda, transpose_a, b_columns, ldb, transpose_b, c.data() + begin, ldc,
           accumulate);
    });
  }
}

}  // namespace profundo
