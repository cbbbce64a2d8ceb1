#include "inspect/augment_preview.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace profundo {

std::vector<std::uint8_t> augment_preview(const std::vector<std::uint8_t>& images, int count, int channels, int height,
                                          int width, const AugmentConfig& config, std::uint32_t seed) {
  if (count < 0 || channels < 1 || height < 1 || width < 1)
    throw std::invalid_argument("augment preview: count must be >= 0 and channels, height, width >= 1, got " +
                                std::to_string(count) + ", " + std::to_string(channels) + ", " + std::to_string(height) +
                                ", " + std::to_string(width));
  const std::size_t per_image = static_cast<std::size_t>(channels) * height * width;
  if (images.size() != per_image * static_cast<std::size_t>(count))
    throw std::invalid_argument("augment preview: expected " + std::to_string(per_image * count) + " bytes for " +
                                std::to_string(count) + " images, got " + std::to_string(images.size()));
  Augmenter augmenter(config);
  Random rng(seed, RandomStream::augmentation);
  std::vector<float> augmented(per_image);
  std::vector<std::uint8_t> out(images.size());
  for (int i = 0; i < count; ++i) {
    const std::size_t offset = per_image * static_cast<std::size_t>(i);
    augmenter.apply(images.data() + offset, channels, height, width, rng, 1.0f, 0.0f, augmented.data());
    for (std::size_t j = 0; j < per_image; ++j)
      out[offset + j] = static_cast<std::uint8_t>(std::clamp(std::lround(augmented[j]), 0L, 255L));
  }
  return out;
}

}  // namespace profundo
