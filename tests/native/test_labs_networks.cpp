// The labs that train or probe a network: logistic regression by hand, the collapse of a linear
// network to W'x + b', vanishing gradients, dying ReLU, initialisation statistics and input
// normalisation. Every number comes from the engine's Model, Trainer and optimisers.
#include "labs/initialization_lab.hpp"
#include "labs/network_lab.hpp"
#include "labs/normalization_lab.hpp"
#include "labs/toy_data.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;

namespace {
NetworkLabConfig config_with(std::vector<int> hidden, const std::string& activation, float learning_rate, int batch) {
  NetworkLabConfig config;
  config.hidden = std::move(hidden);
  config.activation = activation;
  config.training.optimizer.kind = "sgd";
  config.training.optimizer.learning_rate = learning_rate;
  config.training.batch_size = batch;
  config.training.seed = 5;
  return config;
}
}  // namespace

TEST_CASE("labs logistic regression one step by hand", "[labs][network][golden]") {
  // W = 0, b = 0 ⇒ ŷ = σ(0) = 0.5 for both points, L = log 2.
  // x = (1, 2), y = 1 and x = (−1, 0), y = 0: dz = ŷ − y = (−0.5, 0.5);
  // dW = 1/m Σ dz x = ½ (−0.5·(1, 2) + 0.5·(−1, 0)) = (−0.5, −0.5);  db = ½ (−0.5 + 0.5) = 0.
  // W = W − α dW with α = 0.1: (0.05, 0.05).
  NetworkLabConfig config = config_with({}, "relu", 0.1f, 2);
  config.init = "zeros";
  NetworkLab lab(config, {1, 2, -1, 0}, {1, 0});
  CHECK(lab.evaluate().loss == Approx(std::log(2.0)));
  const NetworkLabStep step = lab.train(1);
  CHECK(step.steps == 1);
  CHECK(step.epochs == 1);
  CHECK(step.batch_loss == Approx(std::log(2.0)));
  REQUIRE(lab.parameter_count() == 2);
  CHECK(lab.gradient(0) == std::vector<float>{-0.5f, -0.5f});
  CHECK(lab.gradient(1)[0] == Approx(0.0f).margin(1e-7));
  CHECK(lab.parameter(0)[0] == Approx(0.05f));
  CHECK(lab.parameter(0)[1] == Approx(0.05f));
  // The new loss, by hand: z = 0.15 and −0.05.
  const double expected = 0.5 * (std::log1p(std::exp(-0.15)) + std::log1p(std::exp(-0.05)));
  CHECK(step.loss == Approx(expected).epsilon(1e-5));
}

TEST_CASE("labs logistic regression separates two blobs", "[labs][network]") {
  const PointSet points = make_point_set("blobs", 200, 0.0f, 1);
  NetworkLab lab(config_with({}, "relu", 0.5f, 200), points.x, points.labels);
  const NetworkLabStep step = lab.train(200);
  CHECK(step.accuracy > 0.95f);
  const auto grid = lab.predict_grid(-2, 2, -2, 2, 3, 3);
  REQUIRE(grid.size() == 9);
  CHECK(grid[0] < 0.1f);  // (−2, −2): class 0
  CHECK(grid[8] > 0.9f);  // (2, 2): class 1
}

TEST_CASE("labs a linear deep network collapses to W prime x + b prime", "[labs][network][golden]") {
  const PointSet points = make_point_set("circles", 100, 0.05f, 2);
  NetworkLab lab(config_with({4, 3}, "linear", 0.1f, 32), points.x, points.labels);
  lab.train(50);
  const LinearCollapse collapse = lab.linear_collapse();
  CHECK(collapse.max_difference < 1e-4f);
  // W' = W3 W2 W1 by hand from the parameters (W1 [4,2], W2 [3,4], W3 [1,3]).
  const auto w1 = lab.parameter(0), w2 = lab.parameter(2), w3 = lab.parameter(4);
  for (int input = 0; input < 2; ++input) {
    double sum = 0;
    for (int k = 0; k < 3; ++k)
      for (int j = 0; j < 4; ++j) sum += w3[k] * w2[k * 4 + j] * w1[j * 2 + input];
    CHECK(collapse.weight[input] == Approx(sum).epsilon(1e-4));
  }
  // A linear network cannot do better than a line on circles; a ReLU one can.
  CHECK(lab.train(2000).accuracy < 0.75f);
  NetworkLabConfig relu = config_with({16, 16}, "relu", 0.1f, 32);
  NetworkLab nonlinear(relu, points.x, points.labels);
  CHECK(nonlinear.train(2000).accuracy > 0.95f);
  CHECK_THROWS_WITH(nonlinear.linear_collapse(), Catch::Contains("linear"));
}

TEST_CASE("labs vanishing gradients with sigmoid but not with ReLU", "[labs][network]") {
  const PointSet points = make_point_set("spiral", 200, 0.0f, 3);
  const std::vector<int> deep(10, 16);
  NetworkLab sigmoid(config_with(deep, "sigmoid", 0.1f, 200), points.x, points.labels);
  sigmoid.train(1);
  const auto s = sigmoid.weight_gradient_norms();
  REQUIRE(s.size() == 11);
  // σ' ≤ 0.25 at every layer: ‖dW^[1]‖ is orders of magnitude below ‖dW^[10]‖.
  CHECK(s[0] < 1e-3f * s[9]);
  NetworkLab relu(config_with(deep, "relu", 0.1f, 200), points.x, points.labels);
  relu.train(1);
  const auto r = relu.weight_gradient_norms();
  CHECK(r[0] > 0.01f * r[9]);
}

TEST_CASE("labs dying ReLU with a very negative bias", "[labs][network]") {
  const PointSet points = make_point_set("blobs", 200, 0.0f, 4);
  NetworkLabConfig config = config_with({32, 32}, "relu", 0.01f, 50);
  NetworkLab healthy(config, points.x, points.labels);
  CHECK(healthy.activation_statistics(10)[0].dead_fraction < 0.3f);
  config.bias = -6.0f;
  NetworkLab dying(config, points.x, points.labels);
  const auto statistics = dying.activation_statistics(10);
  REQUIRE(statistics.size() == 2);
  CHECK(statistics[0].kind == "relu");
  CHECK(statistics[0].dead_fraction > 0.8f);
  CHECK(statistics[1].dead_fraction == 1.0f);  // every input of layer 2 is ≤ 0 after b = −6
}

TEST_CASE("labs mini-batch sizes run whole epochs with the same seed", "[labs][network]") {
  const PointSet points = make_point_set("circles", 256, 0.05f, 1);
  NetworkLabConfig config = config_with({16}, "relu", 0.05f, 32);
  NetworkLab a(config, points.x, points.labels), b(config, points.x, points.labels);
  const NetworkLabStep step = a.train_epochs(2);
  CHECK(step.epochs == 2);
  CHECK(step.steps == 16);  // 256 / 32 per epoch
  CHECK(b.train_epochs(2).loss == step.loss);
  config.training.batch_size = 100;  // 100 + 100 + 56
  NetworkLab uneven(config, points.x, points.labels);
  CHECK(uneven.train_epochs(1).steps == 3);
  config.training.schedule.kind = "inverse_time";
  config.training.schedule.c1 = 1.0f;
  config.training.schedule.c2 = 10.0f;
  NetworkLab decay(config, points.x, points.labels);
  CHECK(decay.train_epochs(1).learning_rate == Approx(1.0f / (2 + 10)));  // α of the epoch's last step, t = 2
}

TEST_CASE("labs initialisation keeps or loses the activations' scale", "[labs][init]") {
  InitializationLabConfig config;
  config.layers = 10;
  config.init = "he_normal";
  config.activation = "relu";
  auto he = initialization_statistics(config);
  REQUIRE(he.size() == 10);
  CHECK(he[9].stddev > 0.3f);
  CHECK(he[9].stddev < 3.0f);
  config.init = "normal_small";
  CHECK(initialization_statistics(config)[9].stddev < 1e-6f);
  config.activation = "tanh";
  config.init = "xavier_normal";
  const auto xavier = initialization_statistics(config);
  CHECK(xavier[9].stddev > 0.05f);
  CHECK(xavier[9].min >= -1.0f);
  CHECK(xavier[9].min == xavier[0].min);  // one range for all the layers
  CHECK(xavier[9].max == xavier[0].max);
  float total = 0;
  for (const float f : xavier[9].histogram) total += f;
  CHECK(total == Approx(1.0f));
  config.width = 0;
  CHECK_THROWS_WITH(initialization_statistics(config), Catch::Contains("init.width"));
}

TEST_CASE("labs input normalisation lets gradient descent converge", "[labs][normalization]") {
  NormalizationLabConfig config;
  config.learning_rate = 0.03f;
  config.steps = 100;
  config.normalize = true;
  const NormalizationLabReport normalized = normalization_lab(config);
  CHECK_FALSE(normalized.diverged);
  CHECK(normalized.mean[0] == Approx(4.0f).margin(0.5f));
  CHECK(normalized.stddev[0] == Approx(3.0f).margin(0.5f));
  REQUIRE(normalized.path_w1.size() == 101);
  CHECK(normalized.path_w1.back() == Approx(normalized.optimum[0]).margin(0.05f));
  CHECK(normalized.path_w2.back() == Approx(normalized.optimum[1]).margin(0.05f));
  CHECK(normalized.grid.size() == 3600);
  config.normalize = false;
  const NormalizationLabReport raw = normalization_lab(config);
  CHECK_FALSE(raw.diverged);
  // The same α and steps leave w2 (the small input's weight) far from its optimum.
  CHECK(std::abs(raw.path_w2.back() - raw.optimum[1]) > 1.0f);
  config.learning_rate = 0.1f;  // above 2/λmax of the raw problem
  CHECK(normalization_lab(config).diverged);
}

TEST_CASE("labs batch norm running statistics move from 0 and 1 towards the batch statistics", "[labs][network][batchnorm]") {
  const PointSet points = make_point_set("spiral", 128, 0.0f, 6);
  NetworkLabConfig config = config_with({8, 8}, "relu", 0.05f, 128);
  config.batch_norm = true;
  NetworkLab lab(config, points.x, points.labels);
  std::vector<float> running = lab.batch_norm_running(0);
  REQUIRE(running.size() == 16);
  CHECK(running[0] == 0.0f);   // μ starts at 0
  CHECK(running[8] == 1.0f);   // σ² starts at 1
  // The batch mean of z^[1] = W^[1] x + b^[1] with the weights before the step, unit 0.
  const auto w1 = lab.parameter(0), b1 = lab.parameter(1);
  double mean0 = 0;
  for (int i = 0; i < points.count(); ++i) mean0 += w1[0] * points.x[2 * i] + w1[1] * points.x[2 * i + 1] + b1[0];
  mean0 /= points.count();
  lab.train(1);
  // One full-batch step with momentum β = 0.9: μ_running = 0.9 · 0 + 0.1 · μ_B.
  running = lab.batch_norm_running(0);
  CHECK(running[0] == Approx(0.1 * mean0).margin(1e-5));
  CHECK(running[8] != 1.0f);
  CHECK(lab.batch_norm_running(1).size() == 16);
  CHECK_THROWS_WITH(lab.batch_norm_running(2), Catch::Contains("no batch-norm layer 2"));
}
