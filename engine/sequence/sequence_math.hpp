// Small helpers shared by the recurrent cells: unaligned Eigen views of one time step, σ, and a
// matrix product split across the thread pool (per-step blocks are not 16-byte aligned in general,
// so core/matmul's aligned maps do not apply).
#pragma once

#include "core/gemm.hpp"
#include "core/tensor.hpp"
#include "core/thread_pool.hpp"

#include <Eigen/Core>

#include <algorithm>

namespace profundo::sequence {

using StepMatrix = Eigen::Map<Matrix>;
using ConstStepMatrix = Eigen::Map<const Matrix>;
using StepRow = Eigen::Map<Eigen::RowVectorXf>;
using ConstStepRow = Eigen::Map<const Eigen::RowVectorXf>;
using StepArray = Eigen::Map<Eigen::ArrayXf>;
using ConstStepArray = Eigen::Map<const Eigen::ArrayXf>;

inline ConstStepMatrix view(const float* data, Eigen::Index rows, Eigen::Index cols) { return {data, rows, cols}; }
inline StepMatrix view(float* data, Eigen::Index rows, Eigen::Index cols) { return {data, rows, cols}; }
inline ConstStepArray row(const float* data, Eigen::Index size) { return {data, size}; }
inline StepArray row(float* data, Eigen::Index size) { return {data, size}; }

template <typename A>
auto sigmoid(const A& x) {
  return 1.0f / (1.0f + (-x).exp());
}

template <typename M>
GemmOperand operand(const Eigen::Transpose<M>& m) {
  return {m.nestedExpression().data(), static_cast<int>(m.nestedExpression().outerStride()), Transpose::yes};
}
template <typename M>
GemmOperand operand(const M& m) {
  return {m.data(), static_cast<int>(m.outerStride()), Transpose::no};
}

// c (+)= a * b on the calling thread (inside a range of rows it owns: RecurrentLayer::for_batch_rows).
template <typename A, typename B>
void gemm(const A& a_view, const B& b_view, StepMatrix c, bool accumulate) {
  const GemmOperand a = operand(a_view), b = operand(b_view);
  profundo::gemm({static_cast<int>(c.rows()), static_cast<int>(c.cols()), static_cast<int>(a_view.cols())}, a.data, a.ld,
                 a.transpose, b.data, b.ld, b.transpose, c.data(), static_cast<int>(c.outerStride()), accumulate);
}

// The same with b packed beforehand where gemm() is gemm_packed (WebAssembly: a recurrent layer packs
// W_h once per call instead of once per time step; b_packed from pack_for_products), else through b.
template <typename A, typename B>
void gemm(const A& a_view, const B& b_view, const GemmPackedB& b_packed, StepMatrix c, bool accumulate) {
  if constexpr (kGemmPackedByDefault) {
    const int n = static_cast<int>(c.cols());
    gemm_packed({static_cast<int>(c.rows()), n, static_cast<int>(a_view.cols())}, operand(a_view), b_packed,
                GemmOutput{c.data(), static_cast<int>(c.outerStride()), std::max(n, 1), 0, accumulate});
  } else {
    gemm(a_view, b_view, c, accumulate);
  }
}

// Packs b for the products above, where they read it packed.
template <typename B>
void pack_for_products(const B& b_view, GemmPackedB& b_packed) {
  if constexpr (kGemmPackedByDefault) b_packed.pack(operand(b_view), static_cast<int>(b_view.rows()), static_cast<int>(b_view.cols()));
}

// c (+)= a * b where a and b are views or transposed views ([M, K] and [K, N]); rows or columns of
// c are shared between the threads, so the result does not depend on timing.
template <typename A, typename B>
void gemm(ThreadPool& pool, const A& a_view, const B& b_view, StepMatrix c, bool accumulate) {
  const int m = static_cast<int>(c.rows()), n = static_cast<int>(c.cols()), k = static_cast<int>(a_view.cols());
  // Below ~4M multiply-adds (a per-step product of a 128-unit LSTM is 2M) waking the workers and
  // waiting for them costs more than it saves: measured with profundo-bench's char-lstm case.
  if (pool.threads() == 1 || static_cast<double>(m) * n * k < 4.0 * 1024.0 * 1024.0) {
    gemm(a_view, b_view, c, accumulate);
    return;
  }
  const GemmOperand a = operand(a_view), b = operand(b_view);
  const int ldc = static_cast<int>(c.outerStride());
  if (m >= 2 * n || n < 16) {
    pool.parallel_ranges(m, 4, [&](int begin, int end) {
      const GemmOperand a_rows = a.from_row(begin);
      profundo::gemm({end - begin, n, k}, a_rows.data, a.ld, a.transpose, b.data, b.ld, b.transpose,
                     c.data() + static_cast<std::size_t>(begin) * ldc, ldc, accumulate);
    });
  } else {
    pool.parallel_ranges(n, 8, [&](int begin, int end) {
      const GemmOperand b_columns = b.from_column(begin);
      profundo::gemm({m, end - begin, k}, a.data, a.ld, a.transpose, b_columns.data, b.ld, b.transpose,
                     c.data() + begin, ldc, accumulate);
    });
  }
}

}  // namespace profundo::sequence
