// Optimisers with the course's formulas. State is indexed by parameter position (Layer::parameters()
// order), never keyed by address, so it can be saved and restored.
#pragma once

#include "layers/layer.hpp"
#include "settings/settings.hpp"

#include <memory>
#include <string>
#include <vector>

namespace profundo {

struct OptimizerConfig {
  std::string kind = "adam";  // sgd, momentum, rmsprop, adam
  float learning_rate = 0.001f;
  float beta = 0.9f;    // momentum and RMSProp: the β of their exponentially weighted average
  float beta1 = 0.9f;   // Adam: first moment (momentum)
  float beta2 = 0.999f; // Adam: second moment (RMSProp)
  float epsilon = 1e-8f;
  bool amsgrad = false;  // Adam: divide by the largest s so far, so steps never grow back (Reddi et al. 2018)
};

// Every field's key, range, URL key, CLI option and label (the one declaration of them).
const Settings<OptimizerConfig>& optimizer_settings();

// Throws SettingError naming the field, its value and its range (lr ≤ 0 or NaN, β outside [0,1), ...).
void validate(const OptimizerConfig& config);

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string kind() const = 0;
  // Updates every parameter from its gradient with the given learning rate (from the schedule).
  virtual void step(std::vector<Parameter>& parameters, float learning_rate) = 0;
  // The tensors that make up the optimiser's state (for saving and exact resuming), and the step count.
  std::vector<Tensor>& state() { return state_; }
  long long steps() const { return steps_; }
  void set_steps(long long steps) { steps_ = steps; }

 protected:
  // Allocates `per_parameter` zero tensors shaped like each parameter, once.
  void ensure_state(const std::vector<Parameter>& parameters, int per_parameter);
  std::vector<Tensor> state_;
  long long steps_ = 0;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config);

}  // namespace profundo
