// Exponentially weighted (moving) averages, the course's "media móvil exponencial":
//   V_0 = 0,  V_t = β V_{t−1} + (1 − β) θ_t            (averages roughly the last 1/(1 − β) values)
//   bias correction: V_t / (1 − β^t), which removes the start-up pull towards V_0 = 0.
#pragma once

#include <cstdint>
#include <vector>

namespace profundo {

struct EwaSeries {
  std::vector<float> plain;      // V_t, t = 1..T
  std::vector<float> corrected;  // V_t / (1 − β^t)
};

// Throws std::invalid_argument when β is outside [0, 1).
EwaSeries exponentially_weighted_average(const std::vector<float>& theta, float beta);

// A temperature-like series θ_1..θ_days: a yearly cycle (°C) plus seeded Gaussian noise.
std::vector<float> temperature_series(int days, float noise, std::uint32_t seed);

}  // namespace profundo
