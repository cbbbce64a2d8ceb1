// Small learnable image sets for training tests: side x side images whose label (0-3) is the
// brightest quadrant, with Gaussian noise.
#pragma once

#include "data/data_config.hpp"
#include "data/image_set.hpp"
#include "core/random.hpp"

#include <algorithm>
#include <memory>
#include <string>

namespace profundo::testing {

inline std::shared_ptr<ImageSet> quadrant_images(int count, std::uint32_t seed, int side = 4,
                                                 const std::string& name = "synthetic") {
  Random rng(seed);
  auto set = std::make_shared<ImageSet>();
  set->name = name;
  set->count = count;
  set->height = side;
  set->width = side;
  set->classes = 4;
  const int half = side / 2;
  for (int i = 0; i < count; ++i) {
    const int label = static_cast<int>(rng.below(4));
    set->labels.push_back(static_cast<std::uint8_t>(label));
    for (int r = 0; r < side; ++r)
      for (int c = 0; c < side; ++c) {
        const float base = (r / half) * 2 + c / half == label ? 200.0f : 40.0f;
        set->pixels.push_back(static_cast<std::uint8_t>(std::clamp(base + rng.normal(0.0f, 30.0f), 0.0f, 255.0f)));
      }
  }
  return set;
}

// Data settings with a dev split of `size` images (augmentation off).
inline DataConfig dev_split(int size, const std::string& normalization = "scale") {
  DataConfig config;
  config.dev_size = size;
  config.normalization = normalization;
  return config;
}

}  // namespace profundo::testing
