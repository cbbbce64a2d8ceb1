#include "core/matmul.hpp"

namespace profundo {

namespace {

// Below this many multiply-adds a product runs on one thread: waking workers costs more.
constexpr double kMinParallelWork = 64.0 * 1024.0;

template <bool Transposed, typename M>
auto op(const M& m) {
  if constexpr (Transposed) return m.transpose();
  else return m;
}

template <typename Out, typename Lhs, typename Rhs>
void product(Out&& out, const Lhs& lhs, const Rhs& rhs, bool accumulate) {
  if (accumulate) out.noalias() += lhs * rhs;
  else out.noalias() = lhs * rhs;
}

template <bool TA, bool TB>
void matmul_impl(ThreadPool& pool, const ConstMatrixMap& a, const ConstMatrixMap& b, MatrixMap& c,
                 bool accumulate) {
  const auto lhs = op<TA>(a);  // [M, K]
  const auto rhs = op<TB>(b);  // [K, N]
  const double work = static_cast<double>(c.rows()) * static_cast<double>(c.cols()) * static_cast<double>(lhs.cols());
  if (pool.threads() == 1 || work < kMinParallelWork) {
    product(c, lhs, rhs, accumulate);
    return;
  }
  // Rows [r0, r1) of op(a) times op(b) give rows [r0, r1) of c; likewise for columns of op(b).
  if (c.rows() >= c.cols()) {
    pool.parallel_ranges(static_cast<int>(c.rows()), 4, [&](int begin, int end) {
      product(c.middleRows(begin, end - begin), lhs.middleRows(begin, end - begin), rhs, accumulate);
    });
  } else {
    pool.parallel_ranges(static_cast<int>(c.cols()), 4, [&](int begin, int end) {
      product(c.middleCols(begin, end - begin), lhs, rhs.middleCols(begin, end - begin), accumulate);
    });
  }
}

}  // namespace

void matmul(ThreadPool& pool, const ConstMatrixMap& a, Transpose transpose_a, const ConstMatrixMap& b,
            Transpose transpose_b, MatrixMap c, bool accumulate) {
  const bool ta = transpose_a == Transpose::yes;
  const bool tb = transpose_b == Transpose::yes;
  if (ta && tb) matmul_impl<true, true>(pool, a, b, c, accumulate);
  else if (ta) matmul_impl<true, false>(pool, a, b, c, accumulate);
  else if (tb) matmul_impl<false, true>(pool, a, b, c, accumulate);
  else matmul_impl<false, false>(pool, a, b, c, accumulate);
}

}  // namespace profundo
