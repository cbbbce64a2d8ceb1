// How the initialisation of W^[l] shapes the activations of a deep network before any training
// (course: "Inicialización de los pesos"): x ~ N(0, 1) through `layers` dense layers of `width`
// units, each followed by g; the statistics of every a^[l].
#pragma once

#include "labs/layer_probe.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

struct InitializationLabConfig {
  std::string init = "he_normal";  // normal_small, xavier_normal, xavier_uniform, he_normal
  std::string activation = "relu";
  int layers = 10;
  int width = 100;
  int samples = 500;
  int bins = 30;
  std::uint32_t seed = 1;
};

// Every histogram covers the same range: from the smallest to the largest a^[l] of any layer.
// Throws std::invalid_argument naming the bad field.
std::vector<LayerStatistics> initialization_statistics(const InitializationLabConfig& config);

}  // namespace profundo
