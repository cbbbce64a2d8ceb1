#include "layers/batch_norm.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace profundo;
using namespace profundo::testing;

namespace {

// γ and β away from 1 and 0, so that the check sees them act.
void randomize_affine(BatchNorm& layer, Random& rng) {
  for (std::size_t i = 0; i < layer.gamma().size(); ++i) {
    layer.gamma()[i] = rng.uniform(0.5f, 1.5f);
    layer.beta()[i] = rng.normal(0.0f, 0.5f);
  }
}

// Per-channel mean and biased variance of y viewed as [N, C, S].
void channel_moments(const Tensor& y, int channels, int spatial, int c, double& mean, double& var) {
  const int batch = y.dim(0);
  double sum = 0.0, squares = 0.0;
  for (int n = 0; n < batch; ++n)
    for (int s = 0; s < spatial; ++s) sum += y[(static_cast<std::size_t>(n) * channels + c) * spatial + s];
  const double count = static_cast<double>(batch) * spatial;
  mean = sum / count;
  for (int n = 0; n < batch; ++n)
    for (int s = 0; s < spatial; ++s) {
      const double d = y[(static_cast<std::size_t>(n) * channels + c) * spatial + s] - mean;
      squares += d * d;
    }
  var = squares / count;
}

}  // namespace

TEST_CASE("batchnorm passes the numerical gradient check for features in train mode", "[grad][batchnorm]") {
  Random rng(3);
  BatchNorm layer({4}, 0.9f, 1e-5f);
  randomize_affine(layer, rng);
  check_layer_gradients(layer, random_tensor({6, 4}, rng));
}

TEST_CASE("batchnorm passes the numerical gradient check for channels in train mode", "[grad][batchnorm]") {
  Random rng(5);
  BatchNorm layer({3, 2, 3}, 0.9f, 1e-5f);
  randomize_affine(layer, rng);
  check_layer_gradients(layer, random_tensor({4, 3, 2, 3}, rng));
}

TEST_CASE("batchnorm computes the golden values of a tiny batch", "[batchnorm]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  BatchNorm layer({2}, 0.8f, 0.01f);
  layer.gamma()[0] = 2.0f;
  layer.gamma()[1] = 0.5f;
  layer.beta()[0] = 0.5f;
  layer.beta()[1] = -1.0f;
  // x = [[1, 2], [2, 4], [4, 9]]
  Tensor x({3, 2});
  const float values[] = {1, 2, 2, 4, 4, 9};
  for (std::size_t i = 0; i < 6; ++i) x[i] = values[i];
  // feature 0: μ = 7/3, σ² = ((4/3)² + (1/3)² + (5/3)²)/3 = 14/9, √(σ² + 0.01) = 1.2512216
  //            x̂ = (−4/3, −1/3, 5/3)/1.2512216 = (−1.0656252, −0.2664063, 1.3320315)
  //            y = 2 x̂ + 0.5 = (−1.6312505, −0.0328126, 3.1640631)
  // feature 1: μ = 5, σ² = (9 + 1 + 16)/3 = 26/3, √(σ² + 0.01) = 2.9456182
  //            x̂ = (−3, −1, 4)/2.9456182 = (−1.0184619, −0.3394873, 1.3579492)
  //            y = 0.5 x̂ − 1 = (−1.5092310, −1.1697437, −0.3210254)
  const Tensor& y = layer.forward(x, context);
  const double expected[] = {-1.6312505, -1.5092310, -0.0328126, -1.1697437, 3.1640631, -0.3210254};
  for (std::size_t i = 0; i < 6; ++i) CHECK(y[i] == Approx(expected[i]).epsilon(1e-5));
  // running = 0.8 running + 0.2 batch, from (0, 1); unbiased variances 3/2 σ² = (7/3, 13):
  //   mean = 0.2 (7/3, 5) = (0.4666667, 1),  var = 0.8 + 0.2 (7/3, 13) = (1.2666667, 3.4)
  CHECK(layer.running_mean()[0] == Approx(0.4666667));
  CHECK(layer.running_mean()[1] == Approx(1.0));
  CHECK(layer.running_var()[0] == Approx(1.2666667));
  CHECK(layer.running_var()[1] == Approx(3.4));
}

TEST_CASE("batchnorm updates the running averages by the course's formula", "[batchnorm]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  Random rng(7);
  const int channels = 3, spatial = 4 * 5, batch = 6;
  BatchNorm layer({channels, 4, 5}, 0.9f, 1e-5f);
  for (int c = 0; c < channels; ++c) {
    layer.running_mean()[static_cast<std::size_t>(c)] = 0.5f * static_cast<float>(c);
    layer.running_var()[static_cast<std::size_t>(c)] = 1.0f + static_cast<float>(c);
  }
  Tensor x = random_tensor({batch, channels, 4, 5}, rng, 2.0f);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += 3.0f;
  const Tensor before_mean = layer.running_mean(), before_var = layer.running_var();
  layer.forward(x, context);
  const double count = static_cast<double>(batch) * spatial;
  for (int c = 0; c < channels; ++c) {
    double mean, var;
    channel_moments(x, channels, spatial, c, mean, var);
    const double unbiased = var * count / (count - 1.0);
    const auto i = static_cast<std::size_t>(c);
    CHECK(layer.running_mean()[i] == Approx(0.9 * before_mean[i] + 0.1 * mean).epsilon(1e-5));
    CHECK(layer.running_var()[i] == Approx(0.9 * before_var[i] + 0.1 * unbiased).epsilon(1e-5));
  }
}

TEST_CASE("batchnorm in eval mode uses the running statistics", "[batchnorm]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  Random rng(9);
  BatchNorm layer({2, 3, 3}, 0.9f, 1e-3f);
  randomize_affine(layer, rng);
  layer.running_mean()[0] = 0.5f;
  layer.running_mean()[1] = -2.0f;
  layer.running_var()[0] = 4.0f;
  layer.running_var()[1] = 0.25f;
  // A single sample is fine in eval mode: nothing is estimated from the batch.
  const Tensor x = random_tensor({1, 2, 3, 3}, rng);
  const Tensor dy = random_tensor({1, 2, 3, 3}, rng);
  const Tensor running_mean = layer.running_mean(), running_var = layer.running_var();
  const Tensor y = layer.forward(x, context);
  for (auto& p : layer.parameters()) p.grad->set_zero();
  const Tensor& dx = layer.backward(dy, context);
  for (int c = 0; c < 2; ++c) {
    const auto i = static_cast<std::size_t>(c);
    const double scale = layer.gamma()[i] / std::sqrt(static_cast<double>(running_var[i]) + 1e-3);
    double dgamma = 0.0, dbeta = 0.0;
    for (std::size_t s = 0; s < 9; ++s) {
      const std::size_t at = i * 9 + s;
      const double xhat = (x[at] - running_mean[i]) / std::sqrt(static_cast<double>(running_var[i]) + 1e-3);
      CHECK(y[at] == Approx(scale * (x[at] - running_mean[i]) + layer.beta()[i]).epsilon(1e-5));
      // The statistics are constants in eval mode, so the layer is affine in x.
      CHECK(dx[at] == Approx(scale * dy[at]).epsilon(1e-5));
      dgamma += dy[at] * xhat;
      dbeta += dy[at];
    }
    CHECK((*layer.parameters()[0].grad)[i] == Approx(dgamma).epsilon(1e-5));
    CHECK((*layer.parameters()[1].grad)[i] == Approx(dbeta).epsilon(1e-5));
  }
  // Eval mode leaves the running statistics alone.
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(layer.running_mean()[i] == running_mean[i]);
    CHECK(layer.running_var()[i] == running_var[i]);
  }
}

TEST_CASE("batchnorm output in train mode has zero mean and unit variance per channel", "[batchnorm]") {
  ThreadPool pool(ThreadPool::threads_supported() ? 2 : 1);
  RunContext context{pool, Mode::train, nullptr};
  Random rng(13);
  SECTION("features") {
    const int features = 37, batch = 64;
    BatchNorm layer({features}, 0.9f, 1e-5f);
    Tensor x({batch, features});
    for (int n = 0; n < batch; ++n)
      for (int f = 0; f < features; ++f)
        x[static_cast<std::size_t>(n) * features + f] = rng.normal(static_cast<float>(f) - 10.0f, 0.5f + 0.1f * f);
    const Tensor& y = layer.forward(x, context);
    for (int f = 0; f < features; ++f) {
      double mean, var;
      channel_moments(y, features, 1, f, mean, var);
      CHECK(mean == Approx(0.0).margin(1e-5));
      CHECK(var == Approx(1.0).epsilon(1e-3));
    }
  }
  SECTION("channels") {
    const int channels = 5, batch = 8, spatial = 6 * 7;
    BatchNorm layer({channels, 6, 7}, 0.9f, 1e-5f);
    Tensor x({batch, channels, 6, 7});
    for (std::size_t i = 0; i < x.size(); ++i) {
      const int c = static_cast<int>(i / spatial) % channels;
      x[i] = rng.normal(3.0f * static_cast<float>(c) - 5.0f, 0.5f + static_cast<float>(c));
    }
    const Tensor& y = layer.forward(x, context);
    for (int c = 0; c < channels; ++c) {
      double mean, var;
      channel_moments(y, channels, spatial, c, mean, var);
      CHECK(mean == Approx(0.0).margin(1e-5));
      CHECK(var == Approx(1.0).epsilon(1e-3));
    }
  }
}

// The vector passes over each channel's run of S values, their tails included, against the
// formulas evaluated in double, value by value.
TEST_CASE("batchnorm over channels agrees with its formulas in double", "[batchnorm]") {
  ThreadPool pool(1);
  Random rng(19);
  for (const Shape& plane : {Shape{1, 3}, Shape{5, 7}, Shape{8, 8}, Shape{9, 9}, Shape{24, 24}}) {
    const int channels = 3, batch = 5, spatial = plane[0] * plane[1];
    const Shape shape = {channels, plane[0], plane[1]};
    BatchNorm layer(shape, 0.9f, 1e-3f);
    randomize_affine(layer, rng);
    const Tensor x = random_tensor({batch, channels, plane[0], plane[1]}, rng, 2.0f);
    const Tensor dy = random_tensor(x.shape(), rng);
    for (auto& p : layer.parameters()) p.grad->set_zero();
    RunContext train{pool, Mode::train, nullptr};
    const Tensor y = layer.forward(x, train);
    const Tensor dx = layer.backward(dy, train);
    INFO("plane " << to_string(plane));
    const double m = static_cast<double>(batch) * spatial;
    for (int c = 0; c < channels; ++c) {
      auto at = [&](int n, int s) { return (static_cast<std::size_t>(n) * channels + c) * spatial + static_cast<std::size_t>(s); };
      double mean = 0.0, var = 0.0, dy_sum = 0.0, dy_xhat = 0.0;
      for (int n = 0; n < batch; ++n)
        for (int s = 0; s < spatial; ++s) mean += x[at(n, s)] / m;
      for (int n = 0; n < batch; ++n)
        for (int s = 0; s < spatial; ++s) var += (x[at(n, s)] - mean) * (x[at(n, s)] - mean) / m;
      const double inv_std = 1.0 / std::sqrt(var + 1e-3);
      const double gamma = layer.gamma()[static_cast<std::size_t>(c)], beta = layer.beta()[static_cast<std::size_t>(c)];
      for (int n = 0; n < batch; ++n)
        for (int s = 0; s < spatial; ++s) {
          dy_sum += dy[at(n, s)];
          dy_xhat += dy[at(n, s)] * (x[at(n, s)] - mean) * inv_std;
        }
      CHECK(layer.parameters()[1].grad->data()[c] == Approx(dy_sum).margin(1e-4));
      CHECK(layer.parameters()[0].grad->data()[c] == Approx(dy_xhat).margin(1e-4));
      for (int n = 0; n < batch; ++n)
        for (int s = 0; s < spatial; ++s) {
          const double xhat = (x[at(n, s)] - mean) * inv_std;
          CHECK(y[at(n, s)] == Approx(gamma * xhat + beta).margin(1e-5));
          const double expected_dx = gamma * inv_std * (dy[at(n, s)] - dy_sum / m - xhat * dy_xhat / m);
          CHECK(dx[at(n, s)] == Approx(expected_dx).margin(1e-5));
        }
    }
  }
}

TEST_CASE("batchnorm gives the same results on one thread and on two", "[batchnorm]") {
  if (skipped_without_threads()) return;
  Random rng(17);
  for (const Shape& shape : {Shape{300}, Shape{16, 9, 9}}) {
    Shape batch_shape = {32};
    batch_shape.insert(batch_shape.end(), shape.begin(), shape.end());
    const Tensor x = random_tensor(batch_shape, rng);
    const Tensor dy = random_tensor(batch_shape, rng);
    const auto run = [&](int threads, Tensor& y, Tensor& dx, Tensor& dgamma) {
      ThreadPool pool(threads);
      RunContext context{pool, Mode::train, nullptr};
      BatchNorm layer(shape, 0.9f, 1e-5f);
      Random affine(1);
      randomize_affine(layer, affine);
      for (auto& p : layer.parameters()) p.grad->set_zero();
      y = layer.forward(x, context);
      dx = layer.backward(dy, context);
      dgamma = *layer.parameters()[0].grad;
    };
    Tensor y1, dx1, g1, y2, dx2, g2;
    run(1, y1, dx1, g1);
    run(2, y2, dx2, g2);
    INFO("shape " << to_string(shape));
    CHECK(y1.vector() == y2.vector());
    CHECK(dx1.vector() == dx2.vector());
    CHECK(g1.vector() == g2.vector());
  }
}

TEST_CASE("batchnorm parameters and buffers have fixed names and initial values", "[batchnorm]") {
  BatchNorm layer({3}, 0.9f, 1e-5f);
  layer.gamma()[0] = 7.0f;
  layer.running_var()[2] = 5.0f;
  Random rng(1);
  layer.initialize(rng);
  auto parameters = layer.parameters();
  REQUIRE(parameters.size() == 2);
  CHECK(parameters[0].name == "gamma");
  CHECK_FALSE(parameters[0].is_weight);
  CHECK(parameters[1].name == "beta");
  CHECK_FALSE(parameters[1].is_weight);
  auto buffers = layer.buffers();
  REQUIRE(buffers.size() == 2);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK((*parameters[0].value)[i] == 1.0f);
    CHECK((*parameters[1].value)[i] == 0.0f);
    CHECK((*buffers[0])[i] == 0.0f);
    CHECK((*buffers[1])[i] == 1.0f);
  }
  CHECK(layer.output_shape() == Shape{3});
}

TEST_CASE("batchnorm rejects bad hyper-parameters and shapes", "[batchnorm][validation]") {
  CHECK_THROWS_WITH(BatchNorm({4}, 1.0f, 1e-5f), Catch::Contains("momentum") && Catch::Contains("1.0"));
  CHECK_THROWS_AS(BatchNorm({4}, -0.1f, 1e-5f), std::invalid_argument);
  CHECK_THROWS_WITH(BatchNorm({4}, 0.9f, 0.0f), Catch::Contains("epsilon"));
  CHECK_THROWS_AS(BatchNorm({4}, 0.9f, -1.0f), std::invalid_argument);
  CHECK_THROWS_AS(BatchNorm({4}, 0.9f, std::numeric_limits<float>::quiet_NaN()), std::invalid_argument);
  CHECK_THROWS_WITH(BatchNorm({4, 4}, 0.9f, 1e-5f), Catch::Contains("[4, 4]"));
  CHECK_THROWS_AS(BatchNorm({3, 0, 2}, 0.9f, 1e-5f), std::invalid_argument);
  CHECK_NOTHROW(BatchNorm({4}, 0.0f, 1e-5f));
}

TEST_CASE("batchnorm rejects a batch of one feature vector in train mode", "[batchnorm][validation]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  BatchNorm layer({4}, 0.9f, 1e-5f);
  CHECK_THROWS_WITH(layer.forward(Tensor({1, 4}), context), Catch::Contains("more than one value per channel"));
}
