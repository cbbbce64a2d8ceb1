// Learning-rate schedules, evaluated at step t = 0, 1, 2, ... (one step = one mini-batch update):
//   constant:      α_t = α
//   inverse_time:  α_t = c1 / (t + c2)                   (the course's decay for SGD)
//   step:          α_t = α · γ^⌊t / step_size⌋
//   exponential:   α_t = α · γ^(t / step_size)
#pragma once

#include "settings/settings.hpp"

#include <string>

namespace profundo {

struct ScheduleConfig {
  std::string kind = "constant";
  float c1 = 1.0f;
  float c2 = 100.0f;
  float gamma = 0.5f;
  int step_size = 1000;
};

// Every field's key, range, URL key, CLI option and label. Every field is checked, whichever the kind.
const Settings<ScheduleConfig>& schedule_settings();
void validate(const ScheduleConfig& config);
float learning_rate_at(const ScheduleConfig& schedule, float base_learning_rate, long long step);

}  // namespace profundo
