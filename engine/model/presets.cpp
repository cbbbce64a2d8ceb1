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

LayerSpec conv(int filters, int kernel_size, const std::string& padding = "valid") {
  LayerSpec spec = layer("conv2d");
  spec.filters = filters;
  spec.kernel_size = kernel_size;
  spec.padding = padding;
  return spec;
}

LayerSpec pool(const std::string& type, int kernel_size) {
  LayerSpec spec = layer(type);
  spec.kernel_size = kernel_size;
  return spec;
}

LayerSpec dropout(float p) {
  LayerSpec spec = layer("dropout");
  spec.p = p;
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

DataConfig augmented() {
  DataConfig data;
  data.augment = default_digit_augmentation();
  return data;
}

// Exponential decay α·γ^(t/steps): late epochs take small steps and settle instead of wobbling.
TrainConfig decaying(TrainConfig config, float gamma, int step_size) {
  config.schedule.kind = "exponential";
  config.schedule.gamma = gamma;
  config.schedule.step_size = step_size;
  return config;
}

// fast99: α halves every 1.5 epochs (1,173 batches of 64 from 50,000 images) and ends at α/16 after 6;
// the last epoch's model is kept, as in its selection (README, "Choosing fast99 a third time").
TrainConfig fast99_training() {
  TrainConfig config = decaying(training("adam", 0.003f, 64, 6), 0.5f, 1173);
  config.keep = "last";
  return config;
}

// fast99 was chosen on 10,000 dev images: it trains on the other 50,000.
DataConfig fast99_data() {
  DataConfig data;
  data.dev_size = 10000;
  return data;
}

TrainConfig best_training() {
  return decaying(training("adam", 0.002f, 128, 15), 0.5f, 1300);  // α halves every ~3 epochs
}

std::vector<Preset> all_presets() {
  return {
      {"logreg", "Softmax regression: one dense layer from the 784 pixels to the 10 classes",
       {kMnistInput, {layer("flatten"), layer("dense", 10)}, "softmax_cross_entropy"},
       training("sgd", 0.1f, 64, 5), DataConfig()},
      {"mlp", "Multilayer perceptron 784-256-128-10 with ReLU, He initialisation and Adam",
       {kMnistInput,
        {layer("flatten"), layer("dense", 256), layer("relu"), layer("dense", 128), layer("relu"), layer("dense", 10)},
        "softmax_cross_entropy"},
       training("adam", 0.001f, 64, 5), DataConfig()},
      {"tfjs-cnn", "The TensorFlow.js MNIST example: two 5x5 convolutions (8 and 16 filters) with max pooling",
       {kMnistInput,
        {conv(8, 5), layer("relu"), pool("maxpool2d", 2), conv(16, 5), layer("relu"), pool("maxpool2d", 2),
         layer("flatten"), layer("dense", 10)},
        "softmax_cross_entropy"},
       training("adam", 0.003f, 64, 5), DataConfig()},  // 0.003: ~98 % after one epoch, 98.8 % after five
      {"keras-cnn", "The Keras MNIST example: 3x3 convolutions with 32 and 64 filters, max pooling, dropout 0.5",
       {kMnistInput,
        {conv(32, 3), layer("relu"), pool("maxpool2d", 2), conv(64, 3), layer("relu"), pool("maxpool2d", 2),
         layer("flatten"), dropout(0.5f), layer("dense", 10)},
        "softmax_cross_entropy"},
       decaying(training("adam", 0.001f, 64, 12), 0.5f, 2580), DataConfig()},  // α halves every 3 epochs
      {"lenet5", "LeNet-5 (LeCun et al. 1998): 5x5 convolutions with 6 and 16 filters, average pooling, tanh",
       {kMnistInput,
        {conv(6, 5, "same"), layer("tanh"), pool("avgpool2d", 2), conv(16, 5), layer("tanh"), pool("avgpool2d", 2),
         layer("flatten"), layer("dense", 120), layer("tanh"), layer("dense", 84), layer("tanh"), layer("dense", 10)},
        "softmax_cross_entropy"},
       training("adam", 0.001f, 64, 10), DataConfig()},
      {"best", "The strongest model here: paired 3x3 convolutions with batch norm, dropout and augmentation",
       {kMnistInput,
        {conv(32, 3), layer("batchnorm"), layer("relu"), conv(32, 3), layer("batchnorm"), layer("relu"),
         pool("maxpool2d", 2), dropout(0.25f), conv(64, 3), layer("batchnorm"), layer("relu"), conv(64, 3),
         layer("batchnorm"), layer("relu"), pool("maxpool2d", 2), dropout(0.25f), layer("flatten"),
         layer("dense", 128), layer("batchnorm"), layer("relu"), dropout(0.5f), layer("dense", 10)},
        "softmax_cross_entropy"},
       best_training(), augmented()},
      {"fast99", "The quickest to 99 %: 5x5 convolutions with 10 and 20 filters and batch norm, a dense layer of 128, a decaying α",
       {kMnistInput,
        {conv(10, 5), layer("batchnorm"), layer("relu"), pool("maxpool2d", 2), conv(20, 5), layer("batchnorm"),
         layer("relu"), pool("maxpool2d", 2), layer("flatten"), layer("dense", 128), layer("batchnorm"), layer("relu"),
         layer("dense", 10)},
        "softmax_cross_entropy"},
       fast99_training(), fast99_data()},  // chosen on the dev split (README, "Choosing fast99 a third time"); 0.21 of keras-cnn's FLOPs
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
