#include "layers/activation.hpp"

#include "core/vector_math.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace profundo {

ActivationKind parse_activation(const std::string& name) {
  if (name == "sigmoid") return ActivationKind::sigmoid;
  if (name == "tanh") return ActivationKind::tanh;
  if (name == "relu") return ActivationKind::relu;
  if (name == "leaky_relu") return ActivationKind::leaky_relu;
  if (name == "linear") return ActivationKind::linear;
  throw std::invalid_argument("activation: unknown activation '" + name +
                              "' (expected sigmoid, tanh, relu, leaky_relu or linear)");
}

std::string to_string(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::sigmoid: return "sigmoid";
    case ActivationKind::tanh: return "tanh";
    case ActivationKind::relu: return "relu";
    case ActivationKind::leaky_relu: return "leaky_relu";
    case ActivationKind::linear: return "linear";
  }
  return "?";
}

float activation_value(ActivationKind kind, float z, float slope) {
  switch (kind) {
    case ActivationKind::sigmoid: return 1.0f / (1.0f + std::exp(-z));
    case ActivationKind::tanh: return std::tanh(z);
    case ActivationKind::relu: return z > 0.0f ? z : 0.0f;
    case ActivationKind::leaky_relu: return z > 0.0f ? z : slope * z;
    case ActivationKind::linear: return z;
  }
  return z;
}

// g'(z) written through y = g(z), which is what the layer keeps.
static float derivative_from_output(ActivationKind kind, float y, float slope) {
  switch (kind) {
    case ActivationKind::sigmoid: return y * (1.0f - y);
    case ActivationKind::tanh: return 1.0f - y * y;
    case ActivationKind::relu: return y > 0.0f ? 1.0f : 0.0f;
    case ActivationKind::leaky_relu: return y > 0.0f ? 1.0f : slope;
    case ActivationKind::linear: return 1.0f;
  }
  return 1.0f;
}

float activation_derivative(ActivationKind kind, float z, float slope) {
  return derivative_from_output(kind, activation_value(kind, z, slope), slope);
}

Activation::Activation(ActivationKind kind, Shape input_shape, float slope)
    : kind_(kind), shape_(std::move(input_shape)), slope_(slope) {
  if (!(slope >= 0.0f && slope < 1.0f))
    throw std::invalid_argument("leaky_relu: slope must be in [0, 1), got " + std::to_string(slope));
}

// Large tensors are split into this many elements per task across the pool.
constexpr int kElementsPerTask = 1 << 15;

// ReLU (slope 0) and leaky ReLU as plain loops: Eigen has no WebAssembly SIMD code, and its
// select() stays scalar there, while the compiler vectorises these loops (measured 3× in wasm).
// Slope 0 has its own loop: 0·x would turn an infinite x into NaN.
void rectify(const float* z, int count, float slope, float* y) {
  if (slope == 0.0f) for (int i = 0; i < count; ++i) y[i] = z[i] > 0.0f ? z[i] : 0.0f;
  else for (int i = 0; i < count; ++i) y[i] = z[i] > 0.0f ? z[i] : slope * z[i];
}

// dy[i] is read before the test: a load under a condition keeps the loop scalar.
static void rectify_backward(const float* y, const float* dy, int count, float slope, float* dx) {
  if (slope == 0.0f) {
    for (int i = 0; i < count; ++i) {
      const float g = dy[i];
      dx[i] = y[i] > 0.0f ? g : 0.0f;
    }
  } else {
    for (int i = 0; i < count; ++i) {
      const float g = dy[i];
      dx[i] = y[i] > 0.0f ? g : slope * g;
    }
  }
}

// x: [N, ...] -> y: [N, ...], element-wise
const Tensor& Activation::forward(const Tensor& x, RunContext& context) {
  output_.resize(x.shape());
  context.pool.parallel_ranges(static_cast<int>(x.size()), kElementsPerTask, [&](int begin, int end) {
    const float* z = x.data() + begin;
    float* y = output_.data() + begin;
    const int count = end - begin;
    switch (kind_) {
      case ActivationKind::sigmoid: vector_sigmoid(z, count, y); break;
      case ActivationKind::tanh: vector_tanh(z, count, y); break;
      case ActivationKind::relu: rectify(z, count, 0.0f, y); break;
      case ActivationKind::leaky_relu: rectify(z, count, slope_, y); break;
      case ActivationKind::linear: std::copy(z, z + count, y); break;
    }
  });
  return output_;
}

// dy -> dx = dy ⊙ g'(z)
const Tensor& Activation::backward(const Tensor& dy, RunContext& context) {
  input_grad_.resize(dy.shape());
  context.pool.parallel_ranges(static_cast<int>(dy.size()), kElementsPerTask, [&](int begin, int end) {
    if (kind_ == ActivationKind::relu || kind_ == ActivationKind::leaky_relu) {
      rectify_backward(output_.data() + begin, dy.data() + begin, end - begin,
                       kind_ == ActivationKind::relu ? 0.0f : slope_, input_grad_.data() + begin);
      return;
    }
    const auto y = output_.vector().segment(begin, end - begin).array();
    const auto g = dy.vector().segment(begin, end - begin).array();
    auto dx = input_grad_.vector().segment(begin, end - begin).array();
    switch (kind_) {
      case ActivationKind::sigmoid: dx = g * y * (1.0f - y); break;
      case ActivationKind::tanh: dx = g * (1.0f - y.square()); break;
      case ActivationKind::relu:
      case ActivationKind::leaky_relu: break;  // rectify_backward() above
      case ActivationKind::linear: dx = g; break;
    }
  });
  return input_grad_;
}

}  // namespace profundo
