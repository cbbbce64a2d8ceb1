// Element-wise activation functions g(z) and their derivatives g'(z), as in the course:
//   sigmoid  σ(z) = 1 / (1 + e^-z),        σ'(z) = σ(z)(1 − σ(z))
//   tanh     g(z) = tanh(z),               g'(z) = 1 − tanh(z)^2
//   relu     g(z) = max(0, z),             g'(z) = 1 if z > 0 else 0 (0 at the kink, like PyTorch)
//   leaky    g(z) = z if z > 0 else s·z,   g'(z) = 1 if z > 0 else s   (s = 0.01 by default)
//   linear   g(z) = z,                     g'(z) = 1
#pragma once

#include "layers/layer.hpp"

#include <string>

namespace profundo {

enum class ActivationKind { sigmoid, tanh, relu, leaky_relu, linear };

ActivationKind parse_activation(const std::string& name);
std::string to_string(ActivationKind kind);

float activation_value(ActivationKind kind, float z, float slope = 0.01f);
float activation_derivative(ActivationKind kind, float z, float slope = 0.01f);
// y = z > 0 ? z : slope·z over `count` values (ReLU for slope 0); y may be z. A plain loop the
// compiler vectorises.
void rectify(const float* z, int count, float slope, float* y);

class Activation : public Layer {
 public:
  Activation(ActivationKind kind, Shape input_shape, float slope = 0.01f);

  std::string kind() const override { return to_string(kind_); }
  Shape output_shape() const override { return shape_; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;

  ActivationKind activation() const { return kind_; }

 private:
  ActivationKind kind_;
  Shape shape_;
  float slope_;
  Tensor output_, input_grad_;  // the derivative is computed from the output, so only y is kept
};

}  // namespace profundo
