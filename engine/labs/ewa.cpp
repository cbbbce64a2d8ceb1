#include "labs/ewa.hpp"

#include "core/random.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace profundo {

EwaSeries exponentially_weighted_average(const std::vector<float>& theta, float beta) {
  if (!(beta >= 0.0f && beta < 1.0f)) throw std::invalid_argument("ewa.beta must be in [0, 1), got " + std::to_string(beta));
  EwaSeries series;
  series.plain.reserve(theta.size());
  series.corrected.reserve(theta.size());
  double v = 0.0, beta_power = 1.0;  // double: β^t for β = 0.98 over hundreds of days
  for (const float value : theta) {
    v = beta * v + (1.0 - beta) * value;
    beta_power *= beta;
    series.plain.push_back(static_cast<float>(v));
    series.corrected.push_back(static_cast<float>(v / (1.0 - beta_power)));
  }
  return series;
}

std::vector<float> temperature_series(int days, float noise, std::uint32_t seed) {
  if (days < 1 || days > 10000) throw std::invalid_argument("ewa.days must be between 1 and 10000, got " + std::to_string(days));
  if (!(noise >= 0.0f) || noise > 50.0f) throw std::invalid_argument("ewa.noise must be between 0 and 50, got " + std::to_string(noise));
  Random rng(seed, RandomStream::user);
  std::vector<float> theta;
  theta.reserve(static_cast<std::size_t>(days));
  for (int day = 1; day <= days; ++day) {
    // Cold in January (day 1), warm in July: 15 °C ± 10 °C over a 365-day year.
    const double season = 15.0 - 10.0 * std::cos(2.0 * 3.141592653589793 * (day - 15) / 365.0);
    theta.push_back(static_cast<float>(season + noise * rng.normal()));
  }
  return theta;
}

}  // namespace profundo
