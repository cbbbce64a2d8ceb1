// Softmax followed by cross-entropy, fused and taking logits (as PyTorch's CrossEntropyLoss):
//   L(y, ŷ) = −Σ_j y_j log ŷ_j  with ŷ = softmax(z),  computed as −Σ_j y_j (z_j − logΣ_k e^{z_k})
//   with the log-sum-exp shifted by max(z), so large logits never overflow.
//   dL/dz = ŷ Σ_j y_j − y  (= ŷ − y for a one-hot or probability target)
#pragma once

#include "losses/loss.hpp"

namespace profundo {

class SoftmaxCrossEntropy : public Loss {
 public:
  std::string kind() const override { return "softmax_cross_entropy"; }
  float forward(const Tensor& logits, const Tensor& target) override;
  const Tensor& backward() override { return grad_; }
  void predict(const Tensor& logits, Tensor& probabilities) const override;

 private:
  Tensor grad_;
};

}  // namespace profundo
