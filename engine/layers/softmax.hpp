// Softmax over the features of each sample (course: g_i(z) = e^{z_i} / Σ_j e^{z_j}).
// For training use the fused SoftmaxCrossEntropy loss on logits instead: it is more stable.
#pragma once

#include "layers/layer.hpp"

namespace profundo {

// y = softmax(z) row by row, with the row maximum subtracted first so exp never overflows.
void softmax_rows(const ConstMatrixMap& logits, MatrixMap probabilities);

class Softmax : public Layer {
 public:
  explicit Softmax(int features) : features_(features) {}

  std::string kind() const override { return "softmax"; }
  Shape output_shape() const override { return {features_}; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;

 private:
  int features_;
  Tensor output_, input_grad_;
};

}  // namespace profundo
