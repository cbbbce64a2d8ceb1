// Named models with the training settings that suit them; shared by the CLI and the page.
#pragma once

#include "data/data_config.hpp"
#include "model/model_spec.hpp"
#include "train/train_config.hpp"

#include <string>
#include <vector>

namespace profundo {

struct Preset {
  std::string name;
  std::string description;
  ModelSpec model;
  TrainConfig training;
  DataConfig data;
};

std::vector<std::string> preset_names();
// Throws std::invalid_argument listing the known names when `name` is not one of them.
Preset find_preset(const std::string& name);

}  // namespace profundo
