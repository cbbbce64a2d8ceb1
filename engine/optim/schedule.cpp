#include "optim/schedule.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

void validate(const ScheduleConfig& config) {
  const auto fail = [](const std::string& field, const std::string& rule, double value) {
    throw std::invalid_argument("schedule." + field + " must be " + rule + ", got " + std::to_string(value));
  };
  if (config.kind == "constant") return;
  if (config.kind == "inverse_time") {
    if (!(config.c1 > 0.0f) || !std::isfinite(config.c1)) fail("c1", "a positive number", config.c1);
    if (!(config.c2 > 0.0f) || !std::isfinite(config.c2)) fail("c2", "a positive number", config.c2);
    return;
  }
  if (config.kind == "step" || config.kind == "exponential") {
    if (!(config.gamma > 0.0f && config.gamma <= 1.0f)) fail("gamma", "in (0, 1]", config.gamma);
    if (config.step_size < 1) fail("step_size", "at least 1", config.step_size);
    return;
  }
  throw std::invalid_argument("schedule.kind: unknown schedule '" + config.kind +
                              "' (expected constant, inverse_time, step or exponential)");
}

float learning_rate_at(const ScheduleConfig& schedule, float base_learning_rate, long long step) {
  const double t = static_cast<double>(step);
  if (schedule.kind == "inverse_time") return static_cast<float>(schedule.c1 / (t + schedule.c2));
  if (schedule.kind == "step")
    return base_learning_rate * static_cast<float>(std::pow(schedule.gamma, std::floor(t / schedule.step_size)));
  if (schedule.kind == "exponential")
    return base_learning_rate * static_cast<float>(std::pow(schedule.gamma, t / schedule.step_size));
  return base_learning_rate;
}

}  // namespace profundo
