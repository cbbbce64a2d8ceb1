// A histogram of a tensor's values with a fixed number of equal-width bins over the range of its
// finite values, for showing weights and gradients as they evolve (TensorBoard-style).
#pragma once

#include <cstddef>
#include <vector>

namespace profundo {

struct Histogram {
  // Bin i covers [low + i·width, low + (i+1)·width), width = (high − low) / bins; the last bin
  // also holds `high`. low/high are the finite minimum and maximum, except that a constant
  // tensor gets [v − 0.5, v + 0.5] (its values in the middle bin) and an empty one [0, 1].
  float low = 0.0f;
  float high = 1.0f;
  std::vector<int> counts;
  int finite = 0;      // values in the bins (sum of counts)
  int non_finite = 0;  // NaN and ±infinity: counted here, never binned
};

// Throws std::invalid_argument when bins < 1.
Histogram make_histogram(const float* values, std::size_t count, int bins);

}  // namespace profundo
