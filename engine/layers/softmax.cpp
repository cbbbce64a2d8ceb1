#include "layers/softmax.hpp"

namespace profundo {

void softmax_rows(const ConstMatrixMap& logits, MatrixMap probabilities) {
  for (Eigen::Index row = 0; row < logits.rows(); ++row) {
    const float max = logits.row(row).maxCoeff();
    probabilities.row(row) = (logits.row(row).array() - max).exp().matrix();
    probabilities.row(row) /= probabilities.row(row).sum();
  }
}

// x: [N, K] -> y: [N, K]
const Tensor& Softmax::forward(const Tensor& x, RunContext& /*context*/) {
  output_.resize(x.shape());
  softmax_rows(x.matrix(), output_.matrix());
  return output_;
}

// The Jacobian of softmax is diag(y) − y yᵀ, so dx = y ⊙ (dy − (dy · y)).
const Tensor& Softmax::backward(const Tensor& dy, RunContext& /*context*/) {
  input_grad_.resize(dy.shape());
  auto y = output_.matrix();
  auto g = dy.matrix();
  auto dx = input_grad_.matrix();
  for (Eigen::Index row = 0; row < y.rows(); ++row) {
    const float dot = g.row(row).dot(y.row(row));
    dx.row(row) = (y.row(row).array() * (g.row(row).array() - dot)).matrix();
  }
  return input_grad_;
}

}  // namespace profundo
