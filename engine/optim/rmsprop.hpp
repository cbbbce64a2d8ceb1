// RMSProp, as in the course:
//   s = β s + (1 − β) dW²,   W = W − α dW / (√s + ε)
#pragma once

#include "optim/optimizer.hpp"

namespace profundo {

class RmsProp : public Optimizer {
 public:
  RmsProp(float beta, float epsilon) : beta_(beta), epsilon_(epsilon) {}
  std::string kind() const override { return "rmsprop"; }
  void step(std::vector<Parameter>& parameters, float learning_rate) override {
    ensure_state(parameters, 1);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      auto s = state_[i].vector().array();
      auto dw = parameters[i].grad->vector().array();
      s = beta_ * s + (1.0f - beta_) * dw.square();
      parameters[i].value->vector().array() -= learning_rate * dw / (s.sqrt() + epsilon_);
    }
    ++steps_;
  }

 private:
  float beta_, epsilon_;
};

}  // namespace profundo
