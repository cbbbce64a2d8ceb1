#include "optim/optimizer.hpp"

#include "optim/adam.hpp"
#include "optim/momentum.hpp"
#include "optim/rmsprop.hpp"
#include "optim/sgd.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace profundo {

namespace {
std::string describe(float value) {
  std::ostringstream text;
  text << value;
  return text.str();
}
void require_beta(const char* name, float value) {
  if (!(value >= 0.0f && value < 1.0f))
    throw std::invalid_argument(std::string("optimizer.") + name + " must be in [0, 1), got " + describe(value));
}
}  // namespace

void validate(const OptimizerConfig& config) {
  if (config.kind != "sgd" && config.kind != "momentum" && config.kind != "rmsprop" && config.kind != "adam")
    throw std::invalid_argument("optimizer.kind: unknown optimizer '" + config.kind +
                                "' (expected sgd, momentum, rmsprop or adam)");
  if (!(config.learning_rate > 0.0f) || !std::isfinite(config.learning_rate))
    throw std::invalid_argument("optimizer.learning_rate must be a positive number, got " + describe(config.learning_rate));
  require_beta("beta", config.beta);
  require_beta("beta1", config.beta1);
  require_beta("beta2", config.beta2);
  if (!(config.epsilon > 0.0f) || !std::isfinite(config.epsilon))
    throw std::invalid_argument("optimizer.epsilon must be a positive number, got " + describe(config.epsilon));
}

void Optimizer::ensure_state(const std::vector<Parameter>& parameters, int per_parameter) {
  if (!state_.empty()) return;
  for (int copy = 0; copy < per_parameter; ++copy)
    for (const auto& parameter : parameters) state_.emplace_back(parameter.value->shape());
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config) {
  validate(config);
  if (config.kind == "sgd") return std::make_unique<Sgd>();
  if (config.kind == "momentum") return std::make_unique<Momentum>(config.beta);
  if (config.kind == "rmsprop") return std::make_unique<RmsProp>(config.beta, config.epsilon);
  return std::make_unique<Adam>(config.beta1, config.beta2, config.epsilon);
}

}  // namespace profundo
