#include "losses/softmax_cross_entropy.hpp"

#include "layers/softmax.hpp"

#include <cmath>

namespace profundo {

float SoftmaxCrossEntropy::forward(const Tensor& logits, const Tensor& target) {
  const auto z = logits.matrix();
  const auto y = target.matrix();
  const Eigen::Index batch = z.rows();
  grad_.resize(logits.shape());
  auto dz = grad_.matrix();
  double total = 0.0;
  for (Eigen::Index row = 0; row < batch; ++row) {
    const float max = z.row(row).maxCoeff();
    const auto shifted = (z.row(row).array() - max);
    const float log_sum_exp = std::log(shifted.exp().sum());
    const float target_mass = y.row(row).sum();
    total -= (y.row(row).array() * (shifted - log_sum_exp)).sum();
    dz.row(row) = ((shifted - log_sum_exp).exp() * target_mass - y.row(row).array()).matrix();
  }
  dz /= static_cast<float>(batch);
  return static_cast<float>(total / static_cast<double>(batch));
}

void SoftmaxCrossEntropy::predict(const Tensor& logits, Tensor& probabilities) const {
  probabilities.resize(logits.shape());
  softmax_rows(logits.matrix(), probabilities.matrix());
}

}  // namespace profundo
