#include "losses/sparse_softmax_cross_entropy.hpp"

#include "core/vector_math.hpp"
#include "layers/softmax.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

namespace {

Eigen::Index classes_of(const Tensor& logits) { return logits.rank() == 0 ? 1 : logits.shape().back(); }

}  // namespace

// Stable log-softmax per row: log p_k = z_k − max − log Σ exp(z_j − max).
float SparseSoftmaxCrossEntropy::forward(const Tensor& logits, const Tensor& targets) {
  const Eigen::Index classes = classes_of(logits);
  const Eigen::Index rows = static_cast<Eigen::Index>(logits.size()) / classes;
  if (targets.size() != static_cast<std::size_t>(rows))
    throw std::invalid_argument("sparse_softmax_cross_entropy: expected " + std::to_string(rows) +
                                " target indices, got " + std::to_string(targets.size()));
  grad_.resize(logits.shape());
  const ConstMatrixMap z(logits.data(), rows, classes);
  MatrixMap dz(grad_.data(), rows, classes);
  const float scale = 1.0f / static_cast<float>(rows);
  double total = 0.0;
  for (Eigen::Index r = 0; r < rows; ++r) {
    const float value = targets[static_cast<std::size_t>(r)];
    const auto target = static_cast<Eigen::Index>(value);
    if (!(value >= 0.0f && value < static_cast<float>(classes)) || static_cast<float>(target) != value)
      throw std::invalid_argument("sparse_softmax_cross_entropy: target " + std::to_string(value) +
                                  " is not a class index in [0, " + std::to_string(classes) + ")");
    const float max = z.row(r).maxCoeff();
    float* row = grad_.data() + r * classes;  // row-major: one contiguous row per prediction
    dz.row(r) = (z.row(r).array() - max).matrix();
    vector_exp(row, static_cast<int>(classes), row);
    const float sum = dz.row(r).sum();
    total += static_cast<double>(std::log(sum)) - static_cast<double>(z(r, target) - max);
    dz.row(r) *= scale / sum;
    dz(r, target) -= scale;
  }
  return static_cast<float>(total / static_cast<double>(rows));
}

void SparseSoftmaxCrossEntropy::predict(const Tensor& logits, Tensor& probabilities) const {
  const Eigen::Index classes = classes_of(logits);
  const Eigen::Index rows = static_cast<Eigen::Index>(logits.size()) / classes;
  probabilities.resize(logits.shape());
  softmax_rows(ConstMatrixMap(logits.data(), rows, classes), MatrixMap(probabilities.data(), rows, classes));
}

}  // namespace profundo
