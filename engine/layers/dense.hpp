// Fully connected layer: y = x W^T + b, with W [out_features, in_features] as in the course
// (W[l] has shape (n[l], n[l-1])) and in PyTorch's nn.Linear.
#pragma once

#include "layers/initializer.hpp"
#include "layers/layer.hpp"

namespace profundo {

class Dense : public Layer {
 public:
  Dense(int in_features, int out_features, Init weight_init = Init::he_normal, float bias_value = 0.0f);

  std::string kind() const override { return "dense"; }
  Shape output_shape() const override { return {out_features_}; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;
  std::vector<Parameter> parameters() override;
  void initialize(Random& rng) override;

  int in_features() const { return in_features_; }
  int out_features() const { return out_features_; }
  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }

 private:
  // x as [rows, in_features]: the batch, or the time steps of every sequence.
  ConstMatrixMap rows_of(const Tensor& x) const;

  int in_features_;
  int out_features_;
  Init weight_init_;
  float bias_value_;
  Tensor weight_, weight_grad_;  // [out, in]
  Tensor bias_, bias_grad_;      // [out]
  const Tensor* input_ = nullptr;
  Tensor output_, input_grad_;
};

}  // namespace profundo
