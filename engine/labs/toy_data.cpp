#include "labs/toy_data.hpp"

#include "core/random.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

PointSet make_point_set(const std::string& kind, int count, float noise, std::uint32_t seed) {
  if (kind != "blobs" && kind != "spiral" && kind != "circles")
    throw std::invalid_argument("points.kind: unknown data set '" + kind + "' (expected blobs, spiral or circles)");
  if (count < 2 || count > 100000)
    throw std::invalid_argument("points.count must be between 2 and 100000, got " + std::to_string(count));
  if (!(noise >= 0.0f) || noise > 10.0f)
    throw std::invalid_argument("points.noise must be between 0 and 10, got " + std::to_string(noise));
  Random rng(seed, RandomStream::user);
  PointSet set;
  set.x.reserve(static_cast<std::size_t>(count) * 2);
  set.labels.reserve(static_cast<std::size_t>(count));
  const float pi = 3.14159265358979f;
  for (int i = 0; i < count; ++i) {
    const int label = i < count / 2 ? 0 : 1;
    float x1 = 0.0f, x2 = 0.0f;
    if (kind == "blobs") {
      // Centres (−1, −1) and (1, 1), spread 0.5 before noise.
      const float centre = label == 0 ? -1.0f : 1.0f;
      x1 = centre + 0.5f * rng.normal();
      x2 = centre + 0.5f * rng.normal();
    } else if (kind == "spiral") {
      // Two arms, each making 1.5 turns out to radius 1; the second arm is the first rotated by π.
      const float t = rng.uniform();
      const float angle = 3.0f * pi * t + (label == 1 ? pi : 0.0f);
      x1 = t * std::cos(angle);
      x2 = t * std::sin(angle);
    } else {
      // Class 0 on the circle of radius 0.5, class 1 on radius 1.
      const float angle = 2.0f * pi * rng.uniform();
      const float radius = label == 0 ? 0.5f : 1.0f;
      x1 = radius * std::cos(angle);
      x2 = radius * std::sin(angle);
    }
    set.x.push_back(x1 + noise * rng.normal());
    set.x.push_back(x2 + noise * rng.normal());
    set.labels.push_back(static_cast<float>(label));
  }
  return set;
}

}  // namespace profundo
