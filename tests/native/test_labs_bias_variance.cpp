// The bias/variance lab's experiment on small learnable synthetic images: a seeded subset, the
// errors the engine measures, the refusals, and the augmentation preview.
#include "labs/bias_variance_lab.hpp"

#include "support/lab_defaults.hpp"
#include "support/synthetic_images.hpp"

#include <catch2/catch.hpp>

using namespace profundo;

TEST_CASE("labs image subset is a seeded pick of whole labelled images", "[labs][biasvariance]") {
  const auto source = testing::quadrant_images(50, 3);
  const ImageSet a = image_subset(*source, 20, 7);
  CHECK(a.count == 20);
  CHECK(a.pixels.size() == 20 * source->pixels_per_image());
  CHECK(image_subset(*source, 20, 7).pixels == a.pixels);
  CHECK(image_subset(*source, 20, 8).pixels != a.pixels);
  // Image 0 of the subset is one of the source's, with its label.
  const std::size_t size = source->pixels_per_image();
  bool found = false;
  for (int i = 0; i < source->count && !found; ++i)
    found = std::equal(a.pixels.begin(), a.pixels.begin() + static_cast<std::ptrdiff_t>(size), source->pixels.begin() + static_cast<std::ptrdiff_t>(i * size)) &&
            a.labels[0] == source->labels[static_cast<std::size_t>(i)];
  CHECK(found);
  CHECK_THROWS_WITH(image_subset(*source, 51, 1), Catch::Contains("between 1 and 50"));
}

TEST_CASE("labs bias variance experiment starts from the engine's training and data defaults, not a lab's", "[labs][biasvariance]") {
  // The lab's own settings live in web/src/labs/defaults.json (test_labs_bias_variance_recipe_file.cpp
  // reads them); a default here that differs from the engine's would be a second declaration.
  const BiasVarianceExperiment experiment;
  const TrainConfig training;
  const DataConfig data;
  CHECK(experiment.dev_size == data.dev_size);
  CHECK(experiment.normalization == data.normalization);
  CHECK(experiment.l2 == training.l2);
  CHECK(experiment.l2_decoupled == training.l2_decoupled);
  CHECK(experiment.epochs == training.epochs);
  CHECK(experiment.learning_rate == training.optimizer.learning_rate);
  CHECK(experiment.seed == training.seed);
  CHECK(experiment.hidden.empty());
  CHECK_FALSE(experiment.augment);
  CHECK(experiment.dropout == 0.0f);
  // The training-set size has no engine default: a caller that does not choose one is refused.
  const auto images = testing::quadrant_images(50, 4, 8);
  CHECK_THROWS_WITH(run_bias_variance_experiment(*images, experiment, 1), Catch::Contains("experiment.train_size"));
}

TEST_CASE("labs bias variance: the page's experiment is the lab's settings with a recipe row's changes", "[labs][biasvariance]") {
  // A lab written here rather than read from web/src/labs/defaults.json, so that each field's source shows.
  const auto lab = nlohmann::json::parse(R"({
    "devSize": 700, "learningRate": 0.002, "normalization": "none", "seed": 9,
    "models": { "none": [], "wide": [40, 20] },
    "settings": { "trainSize": 300, "model": "none", "l2": 0, "l2Decoupled": false, "dropout": 0, "augment": false, "epochs": 10 },
    "recipe": [ { "key": "row.l2", "changes": { "model": "wide", "l2": 7, "l2Decoupled": true, "epochs": 4 } } ]
  })");
  const BiasVarianceExperiment opening = lab_bias_variance_experiment(lab, "");
  CHECK(opening.train_size == 300);
  CHECK(opening.dev_size == 700);
  CHECK(opening.hidden.empty());
  CHECK(opening.l2 == 0.0f);
  CHECK_FALSE(opening.l2_decoupled);
  CHECK(opening.normalization == "none");
  CHECK(opening.epochs == 10);
  CHECK(opening.learning_rate == 0.002f);
  CHECK(opening.seed == 9u);
  const BiasVarianceExperiment row = lab_bias_variance_experiment(lab, "row.l2");
  CHECK(row.hidden == std::vector<int>{40, 20});
  CHECK(row.l2 == 7.0f);
  CHECK(row.l2_decoupled);
  CHECK(row.epochs == 4);
  CHECK(row.train_size == 300);  // unchanged by the row: the opening settings'
  CHECK_THROWS_WITH(lab_bias_variance_experiment(lab, "row.l3"), Catch::Contains("no recipe row 'row.l3' (rows: row.l2)"));
  // Every row of the page's own file reads.
  const auto& page = testing::lab_defaults()["biasVariance"];
  for (const auto& step : page["recipe"]) CHECK_NOTHROW(lab_bias_variance_experiment(page, step["key"].get<std::string>()));
}

TEST_CASE("labs bias variance experiment measures training and dev errors", "[labs][biasvariance]") {
  const auto images = testing::quadrant_images(600, 4, 8);
  BiasVarianceExperiment experiment;
  experiment.train_size = 300;
  experiment.dev_size = 200;
  experiment.hidden = {16};
  experiment.epochs = 10;
  experiment.learning_rate = 0.01f;
  const BiasVarianceResult fitted = run_bias_variance_experiment(*images, experiment, 1);
  CHECK(fitted.train_error < 0.05f);
  CHECK(fitted.dev_error < 0.1f);
  CHECK(fitted.parameters == 64 * 16 + 16 + 16 * 4 + 4);
  // The same run is the same numbers (seeded subset, weights and batches).
  CHECK(run_bias_variance_experiment(*images, experiment, 1).dev_error == fitted.dev_error);
  // A one-unit bottleneck trained one epoch cannot fit the four classes: high bias.
  experiment.hidden = {1};
  experiment.epochs = 1;
  experiment.learning_rate = 0.001f;
  const BiasVarianceResult underfit = run_bias_variance_experiment(*images, experiment, 1);
  CHECK(underfit.train_error > 0.3f);
  experiment.hidden = {8};
  experiment.dropout = 0.5f;
  experiment.l2 = 0.01f;
  experiment.augment = true;
  const BiasVarianceResult regularised = run_bias_variance_experiment(*images, experiment, 1);
  CHECK(regularised.train_error >= 0.0f);
  CHECK(regularised.train_error <= 1.0f);

  experiment.train_size = 500;
  CHECK_THROWS_WITH(run_bias_variance_experiment(*images, experiment, 1), Catch::Contains("more than the 600 training images"));
  experiment.train_size = 100;
  experiment.dropout = 1.0f;
  CHECK_THROWS_WITH(run_bias_variance_experiment(*images, experiment, 1), Catch::Contains("experiment.dropout"));
  experiment.dropout = 0.0f;
  experiment.normalization = "zscore";
  CHECK_THROWS_WITH(run_bias_variance_experiment(*images, experiment, 1), Catch::Contains("normalization"));
}

TEST_CASE("labs augmentation preview draws seeded variants of one image", "[labs][biasvariance]") {
  const auto images = testing::quadrant_images(5, 1, 28);
  const auto a = augmentation_preview(*images, 2, 4, 9);
  REQUIRE(a.size() == 4 * 784);
  CHECK(augmentation_preview(*images, 2, 4, 9) == a);
  const std::vector<std::uint8_t> first(a.begin(), a.begin() + 784), second(a.begin() + 784, a.begin() + 2 * 784);
  CHECK(first != second);
  CHECK_THROWS_WITH(augmentation_preview(*images, 5, 4, 9), Catch::Contains("preview.index"));
}
