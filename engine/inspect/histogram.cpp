#include "inspect/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace profundo {

Histogram make_histogram(const float* values, std::size_t count, int bins) {
  if (bins < 1) throw std::invalid_argument("histogram: bins must be at least 1, got " + std::to_string(bins));
  Histogram histogram;
  histogram.counts.assign(static_cast<std::size_t>(bins), 0);
  float low = INFINITY, high = -INFINITY;
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) {
      ++histogram.non_finite;
      continue;
    }
    low = std::min(low, values[i]);
    high = std::max(high, values[i]);
  }
  histogram.finite = static_cast<int>(count) - histogram.non_finite;
  if (histogram.finite == 0) return histogram;
  if (low == high) {
    low -= 0.5f;
    high += 0.5f;
  }
  histogram.low = low;
  histogram.high = high;
  // In double, so that extreme ranges (−3e38 to 3e38) do not overflow the width.
  const double scale = bins / (static_cast<double>(high) - static_cast<double>(low));
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) continue;
    const int bin = static_cast<int>((static_cast<double>(values[i]) - low) * scale);
    ++histogram.counts[static_cast<std::size_t>(std::clamp(bin, 0, bins - 1))];
  }
  return histogram;
}

}  // namespace profundo
