#include "labs/bias_variance_lab.hpp"

#include "core/random.hpp"
#include "data/augmentation.hpp"
#include "data/data_config.hpp"
#include "train/classifier_session.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace profundo {

BiasVarianceExperiment lab_bias_variance_experiment(const nlohmann::json& lab, const std::string& row_key) {
  nlohmann::json settings = lab.at("settings");
  if (!row_key.empty()) {
    const auto& recipe = lab.at("recipe");
    const auto row = std::find_if(recipe.begin(), recipe.end(), [&](const nlohmann::json& step) { return step.at("key") == row_key; });
    if (row == recipe.end()) {
      std::string keys;
      for (const auto& step : recipe) keys += (keys.empty() ? "" : ", ") + step.at("key").get<std::string>();
      throw std::invalid_argument("no recipe row '" + row_key + "' (rows: " + keys + ")");
    }
    settings.update(row->at("changes"));
  }
  BiasVarianceExperiment experiment;
  experiment.train_size = settings.at("trainSize").get<int>();
  experiment.dev_size = lab.at("devSize").get<int>();
  experiment.hidden = lab.at("models").at(settings.at("model").get<std::string>()).get<std::vector<int>>();
  experiment.l2 = settings.at("l2").get<float>();
  experiment.l2_decoupled = settings.at("l2Decoupled").get<bool>();
  experiment.normalization = lab.at("normalization").get<std::string>();
  experiment.dropout = settings.at("dropout").get<float>();
  experiment.augment = settings.at("augment").get<bool>();
  experiment.epochs = settings.at("epochs").get<int>();
  experiment.learning_rate = lab.at("learningRate").get<float>();
  experiment.seed = lab.at("seed").get<std::uint32_t>();
  return experiment;
}

ImageSet image_subset(const ImageSet& source, int count, std::uint32_t seed) {
  if (count < 1 || count > source.count)
    throw std::invalid_argument("subset: count must be between 1 and " + std::to_string(source.count) + ", got " + std::to_string(count));
  std::vector<int> order(static_cast<std::size_t>(source.count));
  std::iota(order.begin(), order.end(), 0);
  Random rng(seed, RandomStream::data_split);
  rng.shuffle(order);
  ImageSet subset;
  subset.name = source.name + " (" + std::to_string(count) + " images)";
  subset.count = count;
  subset.channels = source.channels;
  subset.height = source.height;
  subset.width = source.width;
  subset.classes = source.classes;
  const std::size_t size = source.pixels_per_image();
  subset.pixels.resize(size * static_cast<std::size_t>(count));
  subset.labels.resize(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto from = static_cast<std::size_t>(order[static_cast<std::size_t>(i)]);
    std::copy_n(source.pixels.begin() + static_cast<std::ptrdiff_t>(from * size), size,
                subset.pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(i) * size));
    subset.labels[static_cast<std::size_t>(i)] = source.labels[from];
  }
  return subset;
}

BiasVarianceResult run_bias_variance_experiment(const ImageSet& training_images, const BiasVarianceExperiment& experiment,
                                                int threads) {
  if (experiment.train_size < 10) throw std::invalid_argument("experiment.train_size must be at least 10, got " + std::to_string(experiment.train_size));
  if (experiment.dev_size < 10) throw std::invalid_argument("experiment.dev_size must be at least 10, got " + std::to_string(experiment.dev_size));
  if (experiment.train_size + experiment.dev_size > training_images.count)
    throw std::invalid_argument("experiment: train_size + dev_size (" + std::to_string(experiment.train_size + experiment.dev_size) +
                                ") is more than the " + std::to_string(training_images.count) + " training images");
  if (experiment.epochs < 1 || experiment.epochs > 200)
    throw std::invalid_argument("experiment.epochs must be between 1 and 200, got " + std::to_string(experiment.epochs));
  if (!(experiment.dropout >= 0.0f && experiment.dropout < 1.0f))
    throw std::invalid_argument("experiment.dropout must be in [0, 1), got " + std::to_string(experiment.dropout));

  ModelSpec model;
  model.input = training_images.image_shape();
  LayerSpec flatten;
  flatten.type = "flatten";
  model.layers.push_back(flatten);
  for (const int units : experiment.hidden) {
    LayerSpec dense;
    dense.type = "dense";
    dense.units = units;
    model.layers.push_back(dense);
    LayerSpec relu;
    relu.type = "relu";
    model.layers.push_back(relu);
    if (experiment.dropout > 0.0f) {
      LayerSpec dropout;
      dropout.type = "dropout";
      dropout.p = experiment.dropout;
      model.layers.push_back(dropout);
    }
  }
  LayerSpec output;
  output.type = "dense";
  output.units = training_images.classes;
  model.layers.push_back(output);

  TrainConfig training;
  training.optimizer.kind = "adam";
  training.optimizer.learning_rate = experiment.learning_rate;
  training.batch_size = 32;
  training.epochs = experiment.epochs;
  training.l2 = experiment.l2;
  training.l2_decoupled = experiment.l2_decoupled;
  training.seed = experiment.seed;
  DataConfig data;
  data.dev_size = experiment.dev_size;
  data.normalization = experiment.normalization;
  if (experiment.augment) data.augment = default_digit_augmentation();

  auto subset = std::make_shared<const ImageSet>(image_subset(training_images, experiment.train_size + experiment.dev_size, experiment.seed));
  const auto start = std::chrono::steady_clock::now();
  ClassifierSession session(model, training, data, subset, nullptr, threads);
  while (!session.finished()) session.train_next_batch();
  const Evaluation train = session.evaluate(Split::train);
  const Evaluation dev = session.evaluate(Split::dev);
  BiasVarianceResult result;
  result.train_error = 1.0f - train.accuracy;
  result.dev_error = 1.0f - dev.accuracy;
  result.train_loss = train.loss;
  result.dev_loss = dev.loss;
  result.seconds = static_cast<float>(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  result.parameters = static_cast<int>(session.model().parameter_count());
  return result;
}

std::vector<std::uint8_t> augmentation_preview(const ImageSet& images, int index, int count, std::uint32_t seed) {
  if (index < 0 || index >= images.count)
    throw std::invalid_argument("preview.index must be in [0, " + std::to_string(images.count) + "), got " + std::to_string(index));
  if (count < 1 || count > 64) throw std::invalid_argument("preview.count must be between 1 and 64, got " + std::to_string(count));
  Augmenter augmenter(default_digit_augmentation());
  Random rng(seed, RandomStream::augmentation);
  const std::size_t size = images.pixels_per_image();
  std::vector<float> out(size);
  std::vector<std::uint8_t> pixels;
  pixels.reserve(size * static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    // scale 1, shift 0: the output stays in pixel units (0..255).
    augmenter.apply(images.pixels.data() + static_cast<std::size_t>(index) * size, images.channels, images.height, images.width, rng,
                    1.0f, 0.0f, out.data());
    for (const float value : out) pixels.push_back(static_cast<std::uint8_t>(std::clamp(std::lround(value), 0L, 255L)));
  }
  return pixels;
}

}  // namespace profundo
