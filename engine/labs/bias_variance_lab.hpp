// Bias and variance made live (course: "Varianza/Sesgo", "Receta", L2, dropout, data
// augmentation): a small MNIST experiment — a subset of the training images, a dense network,
// optional L2, dropout and augmentation — trained by the engine's ClassifierSession, and its
// training and dev errors measured. What they mean is read by the caller (the course's table).
#pragma once

#include "data/data_config.hpp"
#include "data/image_set.hpp"
#include "train/train_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace profundo {

// What one experiment trains. The fields that are also training or data settings start at the
// engine's defaults, never at a lab's: the lab's settings are declared once, in
// web/src/labs/defaults.json, and the page passes every field.
struct BiasVarianceExperiment {
  int train_size = 0;            // images the model learns from (the rest of the subset is dev); no default: 0 is refused
  int dev_size = DataConfig{}.dev_size;
  std::vector<int> hidden;       // units per hidden ReLU layer; empty = softmax regression
  float l2 = TrainConfig{}.l2;   // λ
  bool l2_decoupled = TrainConfig{}.l2_decoupled;  // as weight decay outside Adam
  std::string normalization = DataConfig{}.normalization;
  float dropout = 0.0f;          // p after every hidden layer (0 = none)
  bool augment = false;          // shifts, rotations and zoom of the training batches
  int epochs = TrainConfig{}.epochs;
  float learning_rate = OptimizerConfig{}.learning_rate;  // Adam
  std::uint32_t seed = TrainConfig{}.seed;
};

struct BiasVarianceResult {
  float train_error = 0.0f;  // fraction misclassified, eval mode, over the whole training subset
  float dev_error = 0.0f;
  float train_loss = 0.0f;
  float dev_loss = 0.0f;
  float seconds = 0.0f;
  int parameters = 0;  // of the model (these small models fit an int)
};

// The page's experiment (bias-variance-lab.tsx, experiment()): the lab's declared settings (the
// "biasVariance" object of web/src/labs/defaults.json) with the changes of the recipe row `row_key`
// ("labs.bv.recipe.l2"; "" = the opening settings) applied. The native tests and `profundo-cli
// bias-variance` run the rows the page runs through it. Throws std::invalid_argument for an unknown row.
BiasVarianceExperiment lab_bias_variance_experiment(const nlohmann::json& lab, const std::string& row_key);

// The images of `source` at positions picked by a seeded shuffle: the first `count` of them.
ImageSet image_subset(const ImageSet& source, int count, std::uint32_t seed);

// Throws std::invalid_argument naming the bad field (sizes beyond the data set, p outside [0, 1)…).
BiasVarianceResult run_bias_variance_experiment(const ImageSet& training_images, const BiasVarianceExperiment& experiment,
                                                int threads);

// `count` augmented versions of image `index` (the page's preview), uint8 [count, C, H, W].
std::vector<std::uint8_t> augmentation_preview(const ImageSet& images, int index, int count, std::uint32_t seed);

}  // namespace profundo
