// Plain gradient descent: W = W − α dW.
#pragma once

#include "optim/optimizer.hpp"

namespace profundo {

class Sgd : public Optimizer {
 public:
  std::string kind() const override { return "sgd"; }
  void step(std::vector<Parameter>& parameters, float learning_rate) override {
    for (auto& p : parameters) p.value->vector() -= learning_rate * p.grad->vector();
    ++steps_;
  }
};

}  // namespace profundo
