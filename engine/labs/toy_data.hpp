// Small seeded 2-D classification sets for the course labs: two blobs (linearly separable),
// two interleaved spirals and two concentric circles (not linearly separable).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

struct PointSet {
  std::vector<float> x;       // [m, 2] row-major: x1, x2 of each point
  std::vector<float> labels;  // [m]: 0 or 1
  int count() const { return static_cast<int>(labels.size()); }
};

// kind: "blobs", "spiral" or "circles"; noise is the standard deviation added to each coordinate.
// Half the points (rounded down) are class 0. Throws std::invalid_argument naming a bad field.
PointSet make_point_set(const std::string& kind, int count, float noise, std::uint32_t seed);

}  // namespace profundo
