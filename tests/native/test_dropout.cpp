#include "layers/dropout.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace profundo;
using namespace profundo::testing;

TEST_CASE("dropout passes the numerical gradient check with a frozen mask", "[grad][dropout]") {
  ThreadPool pool(1);
  Random stream(11, RandomStream::dropout);
  RunContext context{pool, Mode::train, &stream};
  Random rng(3);
  Dropout dropout({3, 4}, 0.4f);
  const Tensor x = random_tensor({5, 3, 4}, rng);
  dropout.forward(x, context);
  dropout.freeze_mask(true);
  // The check is only meaningful if the mask both drops and keeps units.
  int dropped = 0;
  for (std::size_t i = 0; i < dropout.mask().size(); ++i) dropped += dropout.mask()[i] == 0.0f;
  REQUIRE(dropped > 0);
  REQUIRE(dropped < static_cast<int>(dropout.mask().size()));
  // The checker runs without a random stream: the frozen mask must be reused.
  check_layer_gradients(dropout, x);
}

TEST_CASE("dropout scales kept units by 1/(1-p) and backward uses the same mask", "[dropout]") {
  ThreadPool pool(1);
  Random stream(5, RandomStream::dropout);
  RunContext context{pool, Mode::train, &stream};
  Random rng(1);
  Dropout dropout({50}, 0.2f);
  const Tensor x = random_tensor({4, 50}, rng);
  const Tensor dy = random_tensor({4, 50}, rng);
  const Tensor y = dropout.forward(x, context);
  const Tensor& dx = dropout.backward(dy, context);
  REQUIRE(y.shape() == x.shape());
  REQUIRE(dx.shape() == x.shape());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool kept = dropout.mask()[i] != 0.0f;
    CHECK(y[i] == Approx(kept ? x[i] / 0.8f : 0.0f));
    CHECK(dx[i] == Approx(kept ? dy[i] / 0.8f : 0.0f));
  }
}

TEST_CASE("dropout is the identity in eval mode and when p is 0", "[dropout]") {
  ThreadPool pool(1);
  Random rng(2);
  const Tensor x = random_tensor({3, 2, 5}, rng);
  const Tensor dy = random_tensor({3, 2, 5}, rng);

  Dropout dropout({2, 5}, 0.5f);
  RunContext eval{pool, Mode::eval, nullptr};  // eval needs no random stream
  const Tensor y = dropout.forward(x, eval);
  const Tensor dx = dropout.backward(dy, eval);
  for (std::size_t i = 0; i < x.size(); ++i) {
    CHECK(y[i] == x[i]);
    CHECK(dx[i] == dy[i]);
  }

  Dropout none({2, 5}, 0.0f);
  RunContext train{pool, Mode::train, nullptr};
  const Tensor y0 = none.forward(x, train);
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(y0[i] == x[i]);
}

TEST_CASE("dropout drops a fraction p of the units and preserves the expected value", "[dropout]") {
  ThreadPool pool(1);
  Random stream(8, RandomStream::dropout);
  RunContext context{pool, Mode::train, &stream};
  Random rng(4);
  const float p = 0.3f;
  Dropout dropout({1000}, p);
  Tensor x({100, 1000});
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(0.5f, 1.5f);
  const Tensor& y = dropout.forward(x, context);
  std::size_t zeros = 0;
  double input_sum = 0.0, output_sum = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    zeros += y[i] == 0.0f;
    input_sum += x[i];
    output_sum += y[i];
  }
  // 10^5 Bernoulli(0.3) draws: the standard deviation of the fraction is ≈ 0.0014, so ±0.01 is 7σ.
  const double fraction = static_cast<double>(zeros) / static_cast<double>(y.size());
  CHECK(fraction == Approx(p).margin(0.01));
  // Each output has mean x and variance x² p/(1 − p); the mean over 10^5 units is within ≈ 0.2%.
  CHECK(output_sum / static_cast<double>(y.size()) == Approx(input_sum / static_cast<double>(x.size())).epsilon(0.01));
}

TEST_CASE("dropout draws the same mask from the same seed", "[dropout]") {
  ThreadPool pool(1);
  const Tensor x({8, 64}, 1.0f);
  const auto mask_for = [&](std::uint64_t seed) {
    Random stream(seed, RandomStream::dropout);
    RunContext context{pool, Mode::train, &stream};
    Dropout dropout({64}, 0.5f);
    dropout.forward(x, context);
    return dropout.mask();
  };
  const Tensor a = mask_for(42), b = mask_for(42), c = mask_for(43);
  bool any_different = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i] == b[i]);
    any_different = any_different || a[i] != c[i];
  }
  CHECK(any_different);
}

TEST_CASE("dropout draws a new mask each step unless frozen", "[dropout]") {
  ThreadPool pool(1);
  Random stream(9, RandomStream::dropout);
  RunContext context{pool, Mode::train, &stream};
  const Tensor x({4, 32}, 1.0f);
  Dropout dropout({32}, 0.5f);
  const Tensor first = dropout.forward(x, context);
  const Tensor second = dropout.forward(x, context);
  dropout.freeze_mask(true);
  const Tensor third = dropout.forward(x, context);
  bool changed = false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    changed = changed || first[i] != second[i];
    CHECK(third[i] == second[i]);
  }
  CHECK(changed);
}

TEST_CASE("dropout in train mode without a random stream is an error", "[dropout][validation]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  Dropout dropout({4}, 0.5f);
  CHECK_THROWS_AS(dropout.forward(Tensor({2, 4}), context), std::logic_error);
  CHECK_THROWS_WITH(dropout.forward(Tensor({2, 4}), context), Catch::Contains("rng"));
}

TEST_CASE("dropout rejects p outside 0 to 1", "[dropout][validation]") {
  CHECK_THROWS_WITH(Dropout({4}, 1.5f), Catch::Contains("p must be in [0, 1)") && Catch::Contains("1.5"));
  CHECK_THROWS_AS(Dropout({4}, 1.0f), std::invalid_argument);
  CHECK_THROWS_AS(Dropout({4}, -0.1f), std::invalid_argument);
  CHECK_THROWS_AS(Dropout({4}, std::numeric_limits<float>::quiet_NaN()), std::invalid_argument);
  CHECK_NOTHROW(Dropout({4}, 0.0f));
  CHECK_NOTHROW(Dropout({4}, 0.99f));
}
