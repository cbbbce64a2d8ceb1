#include "labs/initialization_lab.hpp"

#include "core/random.hpp"
#include "model/model.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

std::vector<LayerStatistics> initialization_statistics(const InitializationLabConfig& config) {
  if (config.layers < 1 || config.layers > 50) throw std::invalid_argument("init.layers must be between 1 and 50, got " + std::to_string(config.layers));
  if (config.width < 1 || config.width > 1000) throw std::invalid_argument("init.width must be between 1 and 1000, got " + std::to_string(config.width));
  if (config.samples < 1 || config.samples > 10000)
    throw std::invalid_argument("init.samples must be between 1 and 10000, got " + std::to_string(config.samples));
  ModelSpec spec;
  spec.input = {config.width};
  spec.loss = "mean_squared_error";
  for (int l = 0; l < config.layers; ++l) {
    LayerSpec dense;
    dense.type = "dense";
    dense.units = config.width;
    dense.init = config.init;
    spec.layers.push_back(dense);
    LayerSpec activation;
    activation.type = config.activation;
    spec.layers.push_back(activation);
  }
  Model model(spec);
  model.initialize(config.seed);
  Random rng(config.seed, RandomStream::user);
  Tensor x({config.samples, config.width});
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = rng.normal();
  // One range for every layer, so that shrinking or saturating activations show as such.
  const std::vector<LayerStatistics> own = activation_statistics(model, x, config.bins);
  float low = own.front().min, high = own.front().max;
  for (const auto& layer : own) {
    low = std::min(low, layer.min);
    high = std::max(high, layer.max);
  }
  return activation_statistics(model, x, config.bins, low, high);
}

}  // namespace profundo
