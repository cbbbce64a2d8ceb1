// The bias/variance lab's recipe on real MNIST digits (the prepared public/data/mnist, `npm run
// data`), with the settings the page runs (web/src/labs/defaults.json): the lecture's "Receta" says
// regularisation fixes high variance, so each of L2, dropout and augmentation must lower the dev
// error of the tiny-training-set row, for 3 seeds. The dev split is held-out training images, never
// the test set. 12 small runs (500 images, 30 epochs, 5,000 dev images): a few seconds natively.
#include "data/idx.hpp"
#include "io/gzip_file.hpp"
#include "labs/bias_variance_lab.hpp"
#include "support/lab_defaults.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace profundo;
using profundo::testing::diagnosis_thresholds;
using profundo::testing::lab_defaults;

namespace {

ImageSet mnist_training_images() {
  const std::string dir = PROFUNDO_MNIST_DIR;
  const auto read_idx = [](const std::string& path) {
    const auto bytes = read_maybe_gzip_file(path);
    return parse_idx(bytes.data(), bytes.size(), path);
  };
  return make_image_set(read_idx(dir + "/train-images-idx3-ubyte.gz"), read_idx(dir + "/train-labels-idx1-ubyte.gz"), "mnist-train", 10, 28,
                        28);
}

// The page's experiment() for one recipe row, on seed `seed`.
BiasVarianceExperiment recipe_experiment(const std::string& key, std::uint32_t seed) {
  BiasVarianceExperiment experiment = lab_bias_variance_experiment(lab_defaults()["biasVariance"], key);
  experiment.seed = seed;
  return experiment;
}

}  // namespace

TEST_CASE("labs defaults: L2, dropout and augmentation each lower the tiny training set's dev error on MNIST",
          "[labs][defaults][biasvariance][mnist]") {
  const ImageSet images = mnist_training_images();
  for (const std::uint32_t seed : {1u, 2u, 3u}) {
    const BiasVarianceResult tiny = run_bias_variance_experiment(images, recipe_experiment("labs.bv.recipe.tiny", seed), 2);
    // The row the recipe starts from overfits: far lower error on the images it learnt.
    CHECK(tiny.dev_error > tiny.train_error + 0.05f);
    for (const char* key : {"labs.bv.recipe.l2", "labs.bv.recipe.dropout", "labs.bv.recipe.augment"}) {
      const BiasVarianceResult regularised = run_bias_variance_experiment(images, recipe_experiment(key, seed), 2);
      INFO("seed " << seed << ", " << key << ": train " << regularised.train_error << " dev " << regularised.dev_error << " (loss "
                   << regularised.dev_loss << "); unregularised train " << tiny.train_error << " dev " << tiny.dev_error << " (loss "
                   << tiny.dev_loss << ")");
      CHECK(regularised.dev_error < tiny.dev_error);
    }
  }
}

TEST_CASE("labs defaults: the recipe's first row reads as high bias alone on MNIST", "[labs][defaults][biasvariance][mnist]") {
  // The page's reading (web/src/screens/train/diagnosis.ts), with its thresholds in points: high
  // bias when the train error is more than highBiasPoints above human, high variance when dev is
  // more than highVariancePoints above train.
  const auto& thresholds = diagnosis_thresholds();
  const float human = thresholds["humanErrorPercent"].get<float>();
  const float high_bias = thresholds["highBiasPoints"].get<float>();
  const float high_variance = thresholds["highVariancePoints"].get<float>();
  const ImageSet images = mnist_training_images();
  for (const std::uint32_t seed : {1u, 2u, 3u}) {
    const BiasVarianceResult simple = run_bias_variance_experiment(images, recipe_experiment("labs.bv.recipe.bias", seed), 2);
    const float train_percent = 100.0f * simple.train_error, dev_percent = 100.0f * simple.dev_error;
    INFO("seed " << seed << ": train " << train_percent << " % dev " << dev_percent << " %");
    CHECK(train_percent - human > high_bias);
    CHECK(dev_percent - train_percent <= high_variance);
  }
}
