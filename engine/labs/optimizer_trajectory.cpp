#include "labs/optimizer_trajectory.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace profundo {

Trajectory optimizer_trajectory(SurfaceKind surface, const OptimizerConfig& config, float w1, float w2, int steps) {
  if (steps < 0 || steps > 100000) throw std::invalid_argument("trajectory.steps must be between 0 and 100000, got " + std::to_string(steps));
  if (!std::isfinite(w1) || !std::isfinite(w2)) throw std::invalid_argument("trajectory.start must be finite");
  auto optimizer = make_optimizer(config);
  Tensor value({2}), grad({2});
  value[0] = w1;
  value[1] = w2;
  std::vector<Parameter> parameters{{&value, &grad, "W", true}};

  Trajectory path;
  const auto record = [&] {
    path.w1.push_back(value[0]);
    path.w2.push_back(value[1]);
    path.loss.push_back(static_cast<float>(surface_value(surface, value[0], value[1])));
  };
  record();
  for (int t = 0; t < steps; ++t) {
    double d1 = 0, d2 = 0;
    surface_gradient(surface, value[0], value[1], d1, d2);
    grad[0] = static_cast<float>(d1);
    grad[1] = static_cast<float>(d2);
    optimizer->step(parameters, config.learning_rate);
    record();
    const float loss = path.loss.back();
    if (!std::isfinite(loss) || !(std::abs(value[0]) < 1e6f && std::abs(value[1]) < 1e6f)) {
      path.diverged = true;
      break;
    }
  }
  return path;
}

}  // namespace profundo
