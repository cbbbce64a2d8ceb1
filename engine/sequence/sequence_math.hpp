// Small helpers shared by the recurrent cells: unaligned Eigen views of one time step, σ, and a
// matrix product split across the thread pool (per-step blocks are not 16-byte aligned in general,
// so core/matmul's aligned maps do not apply).
#pragma once

#include "core/tensor.hpp"
#include "core/thread_pool.hpp"

#include <Eigen/Core>

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

// c (+)= a * b where a and b are Eigen expressions ([M, K] and [K, N]); rows or columns of c are
// shared between the threads, so the result does not depend on timing.
template <typename A, typename B>
void gemm(ThreadPool& pool, const A& a, const B& b, StepMatrix c, bool accumulate) {
  const double work = static_cast<double>(c.rows()) * static_cast<double>(c.cols()) * static_cast<double>(a.cols());
  const auto product = [&](auto&& out, const auto& lhs, const auto& rhs) {
    if (accumulate) out.noalias() += lhs * rhs;
    else out.noalias() = lhs * rhs;
  };
  // Below ~4M multiply-adds (a per-step product of a 128-unit LSTM is 2M) waking the workers and
  // waiting for them costs more than it saves: measured with profundo-bench's char-lstm case.
  if (pool.threads() == 1 || work < 4.0 * 1024.0 * 1024.0) {
    product(c, a, b);
  } else if (c.rows() >= 2 * c.cols() || c.cols() < 16) {
    pool.parallel_ranges(static_cast<int>(c.rows()), 4, [&](int begin, int end) {
      product(c.middleRows(begin, end - begin), a.middleRows(begin, end - begin), b);
    });
  } else {
    pool.parallel_ranges(static_cast<int>(c.cols()), 8, [&](int begin, int end) {
      product(c.middleCols(begin, end - begin), a, b.middleCols(begin, end - begin));
    });
  }
}

}  // namespace profundo::sequence
