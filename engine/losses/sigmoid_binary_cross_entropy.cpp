#include "losses/sigmoid_binary_cross_entropy.hpp"

#include <cmath>

namespace profundo {

float SigmoidBinaryCrossEntropy::forward(const Tensor& logits, const Tensor& target) {
  const std::size_t n = logits.size();
  const int batch = logits.dim(0);
  grad_.resize(logits.shape());
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const float z = logits[i];
    const float y = target[i];
    total += std::max(z, 0.0f) - z * y + std::log1p(std::exp(-std::fabs(z)));
    grad_[i] = (1.0f / (1.0f + std::exp(-z)) - y) / static_cast<float>(batch);
  }
  return static_cast<float>(total / batch);
}

void SigmoidBinaryCrossEntropy::predict(const Tensor& logits, Tensor& probabilities) const {
  probabilities.resize(logits.shape());
  probabilities.vector() = (1.0f / (1.0f + (-logits.vector().array()).exp())).matrix();
}

}  // namespace profundo
