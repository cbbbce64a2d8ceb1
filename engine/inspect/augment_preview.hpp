// A preview of data augmentation: a few images as the Augmenter transforms them with given
// settings and a seed, back in pixel format so the page can draw them.
#pragma once

#include "data/augmentation.hpp"

#include <cstdint>
#include <vector>

namespace profundo {

// images: count × [C, H, W] uint8 -> count × [C, H, W] uint8, each image augmented once (the
// Augmenter on the pixel scale, rounded and clamped to 0..255). The same seed gives the same
// images; with augmentation off the images come back unchanged. Throws std::invalid_argument for
// a bad config (naming the field) or when images does not hold count·C·H·W bytes.
std::vector<std::uint8_t> augment_preview(const std::vector<std::uint8_t>& images, int count, int channels, int height,
                                          int width, const AugmentConfig& config, std::uint32_t seed);

}  // namespace profundo
