// Mean squared error over every element (PyTorch's MSELoss):
//   L = 1/(N·K) Σ (o − t)^2,   dL/do = 2 (o − t) / (N·K)
#pragma once

#include "losses/loss.hpp"

namespace profundo {

class MeanSquaredError : public Loss {
 public:
  std::string kind() const override { return "mean_squared_error"; }
  float forward(const Tensor& output, const Tensor& target) override;
  const Tensor& backward() override { return grad_; }
  void predict(const Tensor& output, Tensor& prediction) const override { prediction = output; }

 private:
  Tensor grad_;
};

}  // namespace profundo
