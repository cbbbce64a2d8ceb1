// How the training data is split, normalised and augmented.
#pragma once

#include "data/augmentation.hpp"

#include <string>

namespace profundo {

struct DataConfig {
  int dev_size = 5000;                 // carved from the training set after a seeded shuffle
  std::string normalization = "scale"; // none, scale or standardize (statistics from the train split)
  AugmentConfig augment;               // applied to training batches only; off by default
};

// Every field's key, range, URL key, CLI option and label, augmentation's included.
const Settings<DataConfig>& data_settings();
// Throws SettingError naming the field ("data.augment.max_zoom"), its value and its range.
void validate(const DataConfig& config);

// The strengths `--augment` and the page's "augment" switch start from.
inline AugmentConfig default_digit_augmentation() {
  AugmentConfig config;
  config.max_shift = 2.0f;
  config.max_rotation = 10.0f;
  config.max_zoom = 0.1f;
  return config;
}

}  // namespace profundo
