// Softmax cross-entropy against class indices instead of one-hot rows (TensorFlow's
// sparse_softmax_cross_entropy_with_logits; PyTorch's CrossEntropyLoss with class targets), for
// outputs with one row per prediction, such as the next characters of a sequence model:
//   logits [..., K] as R = size/K rows, targets: R indices in [0, K) (as floats)
//   L = −(1/R) Σ_r log softmax(z_r)[target_r],   dL/dz_r = (softmax(z_r) − onehot(target_r)) / R
#pragma once

#include "losses/loss.hpp"

namespace profundo {

class SparseSoftmaxCrossEntropy : public Loss {
 public:
  std::string kind() const override { return "sparse_softmax_cross_entropy"; }
  bool takes_class_indices() const override { return true; }
  float forward(const Tensor& logits, const Tensor& targets) override;
  const Tensor& backward() override { return grad_; }
  void predict(const Tensor& logits, Tensor& probabilities) const override;

 private:
  Tensor grad_;
};

}  // namespace profundo
