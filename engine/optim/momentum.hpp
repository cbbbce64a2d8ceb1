// Gradient descent with momentum, as in the course:
//   v = β v + (1 − β) dW,   W = W − α v
// (PyTorch's SGD momentum uses v = μ v + dW instead; the two differ by the factor (1 − β) in α.)
#pragma once

#include "optim/optimizer.hpp"

namespace profundo {

class Momentum : public Optimizer {
 public:
  explicit Momentum(float beta) : beta_(beta) {}
  std::string kind() const override { return "momentum"; }
  void step(std::vector<Parameter>& parameters, float learning_rate) override {
    ensure_state(parameters, 1);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      auto v = state_[i].vector();
      v = beta_ * v + (1.0f - beta_) * parameters[i].grad->vector();
      parameters[i].value->vector() -= learning_rate * v;
    }
    ++steps_;
  }

 private:
  float beta_;
};

}  // namespace profundo
