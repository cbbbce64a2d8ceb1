#include "model/presets.hpp"

#include <stdexcept>

namespace profundo {

namespace {

const Shape kMnistInput = {1, 28, 28};

LayerSpec layer(const std::string& type, int units = 0) {
  LayerSpec spec;
  spec.type = type;
  spec.units = units;
  return spec;
}

TrainConfig training(const std::string& optimizer, float learning_rate, int batch_size, int epochs) {
  TrainConfig config;
  config.optimizer.kind = optimizer;
  config.optimizer.learning_rate = learning_rate;
  config.batch_size = batch_size;
  config.epochs = epochs;
  return config;
}

std::vector<Preset> all_presets() {
  return {
      {"logreg", "Softmax regression: one dense layer from the 784 pixels to the 10 classes",
       {kMnistInput, {layer("flatten"), layer("dense", 10)}, "softmax_cross_entropy"},
       training("sgd", 0.1f, 64, 5)},
      {"mlp", "Multilayer perceptron 784-256-128-10 with ReLU, He initialisation and Adam",
       {kMnistInput,
        {layer("flatten"), layer("dense", 256), layer("relu"), layer("dense", 128), layer("relu"), layer("dense", 10)},
        "softmax_cross_entropy"},
       training("adam", 0.001f, 64, 5)},
  };
}

}  // namespace

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& preset : all_presets()) names.push_back(preset.name);
  return names;
}

Preset find_preset(const std::string& name) {
  std::string known;
  for (const auto& preset : all_presets()) {
    if (preset.name == name) return preset;
    known += (known.empty() ? "" : ", ") + preset.name;
  }
  throw std::invalid_argument("unknown preset '" + name + "' (known presets: " + known + ")");
}

}  // namespace profundo
