// Flatten: x [N, d1, d2, ...] -> y [N, d1·d2·...]. The data is already contiguous, so this is a copy
// with a new shape (Keras' Flatten).
#pragma once

#include "layers/layer.hpp"

namespace profundo {

class Flatten : public Layer {
 public:
  explicit Flatten(Shape input_shape) : input_shape_(std::move(input_shape)) {}

  std::string kind() const override { return "flatten"; }
  Shape output_shape() const override { return {static_cast<int>(element_count(input_shape_))}; }

  const Tensor& forward(const Tensor& x, RunContext& /*context*/) override {
    output_.resize({x.dim(0), static_cast<int>(element_count(input_shape_))});
    output_.vector() = x.vector();
    return output_;
  }
  const Tensor& backward(const Tensor& dy, RunContext& /*context*/) override {
    // [N, ...input_shape], built in a member: a local Shape would be a heap allocation every step.
    grad_shape_.assign(1, dy.dim(0));
    grad_shape_.insert(grad_shape_.end(), input_shape_.begin(), input_shape_.end());
    input_grad_.resize(grad_shape_);
    input_grad_.vector() = dy.vector();
    return input_grad_;
  }

 private:
  Shape input_shape_;
  Shape grad_shape_;
  Tensor output_, input_grad_;
};

}  // namespace profundo
