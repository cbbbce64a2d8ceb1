#include "sequence/softmax_head.hpp"

#include "core/vector_math.hpp"
#include "sequence/sequence_math.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

using namespace sequence;

SoftmaxHead::SoftmaxHead(int hidden_size, int vocabulary_size)
    : hidden_size_(hidden_size), vocabulary_size_(vocabulary_size) {
  if (hidden_size <= 0 || vocabulary_size <= 0)
    throw std::invalid_argument("softmax head: sizes must be positive, got hidden " + std::to_string(hidden_size) +
                                " and vocabulary " + std::to_string(vocabulary_size));
  weight_.resize({hidden_size, vocabulary_size});
  weight_grad_.resize({hidden_size, vocabulary_size});
  bias_.resize({vocabulary_size});
  bias_grad_.resize({vocabulary_size});
}

void SoftmaxHead::initialize(Random& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(hidden_size_));
  for (std::size_t i = 0; i < weight_.size(); ++i) weight_[i] = rng.uniform(-bound, bound);
  bias_.set_zero();
}

// h: [T, N, H] -> z: [T·N, V]
const Tensor& SoftmaxHead::logits(const Tensor& h, RunContext& context) {
  const Eigen::Index rows = static_cast<Eigen::Index>(h.size() / static_cast<std::size_t>(hidden_size_));
  input_ = &h;
  logits_.resize({static_cast<int>(rows), vocabulary_size_});
  auto z = view(logits_.data(), rows, vocabulary_size_);
  gemm(context.pool, view(h.data(), rows, hidden_size_), view(weight_.data(), hidden_size_, vocabulary_size_), z, false);
  z.rowwise() += ConstStepRow(bias_.data(), vocabulary_size_);
  return logits_;
}

// Stable log-softmax: log p_k = z_k − max − log Σ exp(z_j − max).
double SoftmaxHead::loss(const std::vector<int>& targets) {
  const int rows = logits_.dim(0), classes = vocabulary_size_;
  if (targets.size() != static_cast<std::size_t>(rows))
    throw std::invalid_argument("softmax head: expected " + std::to_string(rows) + " targets, got " +
                                std::to_string(targets.size()));
  logits_grad_.resize(logits_.shape());
  const float scale = 1.0f / static_cast<float>(rows);
  double total = 0.0;
  for (int r = 0; r < rows; ++r) {
    const int target = targets[static_cast<std::size_t>(r)];
    if (target < 0 || target >= classes)
      throw std::invalid_argument("softmax head: target " + std::to_string(target) + " outside [0, " +
                                  std::to_string(classes) + ")");
    const auto z = row(logits_.data() + static_cast<std::size_t>(r) * classes, classes);
    auto d = row(logits_grad_.data() + static_cast<std::size_t>(r) * classes, classes);
    const float max = z.maxCoeff();
    d = z - max;
    vector_exp(d.data(), classes, d.data());
    const float sum = d.sum();
    total += static_cast<double>(std::log(sum)) - static_cast<double>(z[target] - max);
    d *= scale / sum;
    d[target] -= scale;
  }
  return total / rows;
}

// -> dh: [T, N, H] = dz Wᵀ;  dW += hᵀ dz;  db += Σ_rows dz
const Tensor& SoftmaxHead::backward(RunContext& context) {
  const Eigen::Index rows = logits_grad_.dim(0);
  const auto dz = view(logits_grad_.data(), rows, vocabulary_size_);
  gemm(context.pool, view(input_->data(), rows, hidden_size_).transpose(), dz,
       view(weight_grad_.data(), hidden_size_, vocabulary_size_), true);
  StepRow(bias_grad_.data(), vocabulary_size_) += dz.colwise().sum();
  input_grad_.resize(input_->shape());
  gemm(context.pool, dz, view(weight_.data(), hidden_size_, vocabulary_size_).transpose(),
       view(input_grad_.data(), rows, hidden_size_), false);
  return input_grad_;
}

}  // namespace profundo
