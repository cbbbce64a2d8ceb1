#include "layers/dense.hpp"

#include "core/matmul.hpp"
#include "core/step_profile.hpp"
#include "core/vector_math.hpp"

#include <stdexcept>

namespace profundo {

namespace {
ProfilePart forward_part("dense forward");  // profundo-bench --profile (core/step_profile.hpp)
ProfilePart backward_part("dense backward");
}  // namespace

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

// x: [N, in] -> y: [N, out], or per time step x: [T, N, in] -> y: [T, N, out] (the T·N steps are
// rows of one product). An image input [N, C, H, W] is read as [N, C·H·W].
const Tensor& Dense::forward(const Tensor& x, RunContext& context) {
  const ProfileScope scope(forward_part);
  input_ = &x;
  const bool per_step = x.rank() == 3 && x.dim(2) == in_features_;
  const Eigen::Index rows = static_cast<Eigen::Index>(x.size()) / in_features_;
  if (per_step) output_.resize({x.dim(0), x.dim(1), out_features_});
  else output_.resize({x.dim(0), out_features_});
  MatrixMap y(output_.data(), rows, out_features_);
  matmul(context.pool, rows_of(x), Transpose::no, weight_.const_matrix(), Transpose::yes, y, false);
  y.rowwise() += bias_.vector().transpose();
  return output_;
}

// dy: like y -> dx: like x;  dW += dy^T x,  db += sum over the rows of dy,  dx = dy W
const Tensor& Dense::backward(const Tensor& dy, RunContext& context) {
  const ProfileScope scope(backward_part);
  const Tensor& x = *input_;
  const Eigen::Index rows = static_cast<Eigen::Index>(x.size()) / in_features_;
  const ConstMatrixMap dy_rows(dy.data(), rows, out_features_);
  matmul(context.pool, dy_rows, Transpose::yes, rows_of(x), Transpose::no, weight_grad_.matrix(), true);
  add_column_sums(dy.data(), static_cast<int>(rows), out_features_, out_features_, bias_grad_.data());
  if (!input_gradient_needed_) return input_grad_;
  input_grad_.resize(x.shape());
  matmul(context.pool, dy_rows, Transpose::no, weight_.const_matrix(), Transpose::no,
         MatrixMap(input_grad_.data(), rows, in_features_), false);
  return input_grad_;
}

ConstMatrixMap Dense::rows_of(const Tensor& x) const {
  return {x.data(), static_cast<Eigen::Index>(x.size()) / in_features_, in_features_};
}

}  // namespace profundo
