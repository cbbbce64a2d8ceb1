// Sigmoid followed by binary cross-entropy, fused and taking logits (logistic regression):
//   L(y, ŷ) = −(y log ŷ + (1 − y) log(1 − ŷ)),  ŷ = σ(z)
//   computed as max(z, 0) − z·y + log(1 + e^{−|z|}), finite for every z;  dL/dz = σ(z) − y.
// Each output unit is an independent yes/no question; the loss is summed over units and
// averaged over the batch.
#pragma once

#include "losses/loss.hpp"

namespace profundo {

class SigmoidBinaryCrossEntropy : public Loss {
 public:
  std::string kind() const override { return "sigmoid_binary_cross_entropy"; }
  float forward(const Tensor& logits, const Tensor& target) override;
  const Tensor& backward() override { return grad_; }
  void predict(const Tensor& logits, Tensor& probabilities) const override;

 private:
  Tensor grad_;
};

}  // namespace profundo
