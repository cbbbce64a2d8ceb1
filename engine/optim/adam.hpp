// Adam (Kingma & Ba 2015), momentum and RMSProp together, with the paper's bias correction:
//   v = β1 v + (1 − β1) dW          s = β2 s + (1 − β2) dW²
//   v̂ = v / (1 − β1^t)              ŝ = s / (1 − β2^t)
//   W = W − α v̂ / (√ŝ + ε)          t = 1, 2, ... counts the steps taken
// AMSGrad (Reddi, Kale & Kumar 2018), as PyTorch's amsgrad=True: ŝ = max(s_1..s_t) / (1 − β2^t),
// the largest second moment so far (a third state tensor), so a parameter's step never grows back.
#pragma once

#include "optim/optimizer.hpp"

#include <cmath>

namespace profundo {

class Adam : public Optimizer {
 public:
  Adam(float beta1, float beta2, float epsilon, bool amsgrad = false)
      : beta1_(beta1), beta2_(beta2), epsilon_(epsilon), amsgrad_(amsgrad) {}
  std::string kind() const override { return "adam"; }
  void step(std::vector<Parameter>& parameters, float learning_rate) override {
    ensure_state(parameters, amsgrad_ ? 3 : 2);
    ++steps_;
    const auto t = static_cast<double>(steps_);
    const float v_correction = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(beta1_), t)));
    const float s_correction = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(beta2_), t)));
    const std::size_t count = parameters.size();
    for (std::size_t i = 0; i < count; ++i) {
      auto v = state_[i].vector().array();
      auto s = state_[count + i].vector().array();
      auto dw = parameters[i].grad->vector().array();
      v = beta1_ * v + (1.0f - beta1_) * dw;
      s = beta2_ * s + (1.0f - beta2_) * dw.square();
      auto value = parameters[i].value->vector().array();
      if (amsgrad_) {
        auto s_max = state_[2 * count + i].vector().array();
        s_max = s_max.max(s);
        value -= learning_rate * (v * v_correction) / ((s_max * s_correction).sqrt() + epsilon_);
      } else {
        value -= learning_rate * (v * v_correction) / ((s * s_correction).sqrt() + epsilon_);
      }
    }
  }

 private:
  float beta1_, beta2_, epsilon_;
  bool amsgrad_;
};

}  // namespace profundo
