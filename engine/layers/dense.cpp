#include "layers/dense.hpp"

#include "core/matmul.hpp"

#include <stdexcept>

namespace profundo {

Dense::Dense(int in_features, int out_features, Init weight_init, float bias_value)
    : in_features_(in_features),
      out_features_(out_features),
      weight_init_(weight_init),
      bias_value_(bias_value),
      weight_({out_features, in_features}),
      weight_grad_({out_features, in_features}),
      bias_({out_features}),
      bias_grad_({out_features}) {
  if (in_features <= 0) throw std::invalid_argument("dense: in_features must be positive, got " + std::to_string(in_features));
  if (out_features <= 0) throw std::invalid_argument("dense: units must be positive, got " + std::to_string(out_features));
}

void Dense::initialize(Random& rng) {
  profundo::initialize(weight_, weight_init_, in_features_, out_features_, rng);
  bias_.fill(bias_value_);
}

std::vector<Parameter> Dense::parameters() {
  return {{&weight_, &weight_grad_, "W", true}, {&bias_, &bias_grad_, "b", false}};
}

// x: [N, in] -> y: [N, out]
const Tensor& Dense::forward(const Tensor& x, RunContext& context) {
  input_ = &x;
  const int batch = x.dim(0);
  output_.resize({batch, out_features_});
  matmul(context.pool, x.matrix(), Transpose::no, weight_.const_matrix(), Transpose::yes, output_.matrix(), false);
  output_.matrix().rowwise() += bias_.vector().transpose();
  return output_;
}

// dy: [N, out] -> dx: [N, in];  dW += dy^T x,  db += sum over the batch of dy,  dx = dy W
const Tensor& Dense::backward(const Tensor& dy, RunContext& context) {
  const Tensor& x = *input_;
  matmul(context.pool, dy.matrix(), Transpose::yes, x.matrix(), Transpose::no, weight_grad_.matrix(), true);
  bias_grad_.vector() += dy.matrix().colwise().sum().transpose();
  if (!input_gradient_needed_) return input_grad_;
  input_grad_.resize(x.shape());
  matmul(context.pool, dy.matrix(), Transpose::no, weight_.const_matrix(), Transpose::no, input_grad_.matrix(), false);
  return input_grad_;
}

}  // namespace profundo
