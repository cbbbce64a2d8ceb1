#include "optim/schedule.hpp"

#include <cmath>

namespace profundo {

const Settings<ScheduleConfig>& schedule_settings() {
  using C = ScheduleConfig;
  static const Settings<C> table = in_group<C>("schedule", {
      field("kind", &C::kind).choices({"constant", "inverse_time", "step", "exponential"}).url({"schedule"}).cli("schedule").label("hyper.schedule"),
      field("c1", &C::c1).above(0).url({"c1"}).cli("c1").label("hyper.c1"),
      field("c2", &C::c2).above(0).unit("steps").url({"c2"}).cli("c2").label("hyper.c2"),
      field("gamma", &C::gamma).above(0).at_most(1).url({"gamma"}).cli("gamma").label("hyper.gamma"),
      field("step_size", &C::step_size).at_least(1).unit("steps").url({"steps", "stepSize"}).cli("step-size").label("hyper.stepSize"),
  });
  return table;
}

void validate(const ScheduleConfig& config) { validate_settings(schedule_settings(), config, "schedule"); }

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
