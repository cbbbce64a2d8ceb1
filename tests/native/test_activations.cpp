#include "layers/activation.hpp"
#include "layers/flatten.hpp"
#include "layers/softmax.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;
using namespace profundo::testing;

namespace {
Tensor away_from_kinks(Shape shape, std::uint32_t seed) {
  // ReLU-like functions have a kink at 0: keep every input at least 0.05 away from it so that the
  // centred difference (ε = 0.01) never straddles it.
  Random rng(seed);
  Tensor x(std::move(shape));
  for (std::size_t i = 0; i < x.size(); ++i) {
    float v = rng.normal();
    if (std::fabs(v) < 0.05f) v = v < 0 ? -0.05f - v : 0.05f + v;
    x[i] = v;
  }
  return x;
}
}  // namespace

TEST_CASE("activation functions match the course's formulas", "[activation]") {
  const float z = 0.7f;
  const float s = 1.0f / (1.0f + std::exp(-z));
  CHECK(activation_value(ActivationKind::sigmoid, z) == Approx(s));
  CHECK(activation_derivative(ActivationKind::sigmoid, z) == Approx(s * (1 - s)));
  CHECK(activation_derivative(ActivationKind::sigmoid, 0.0f) == Approx(0.25f));  // the sigmoid's maximum slope
  CHECK(activation_derivative(ActivationKind::tanh, z) == Approx(1 - std::tanh(z) * std::tanh(z)));
  CHECK(activation_derivative(ActivationKind::tanh, 0.0f) == Approx(1.0f));
  CHECK(activation_value(ActivationKind::relu, -2.0f) == 0.0f);
  CHECK(activation_value(ActivationKind::relu, 2.0f) == 2.0f);
  CHECK(activation_derivative(ActivationKind::relu, -2.0f) == 0.0f);
  CHECK(activation_derivative(ActivationKind::relu, 2.0f) == 1.0f);
  CHECK(activation_value(ActivationKind::leaky_relu, -2.0f) == Approx(-0.02f));
  CHECK(activation_derivative(ActivationKind::leaky_relu, -2.0f) == Approx(0.01f));
  CHECK(activation_value(ActivationKind::leaky_relu, -2.0f, 0.2f) == Approx(-0.4f));
}

TEST_CASE("activation layers pass the numerical gradient check", "[grad][activation]") {
  for (const auto kind : {ActivationKind::sigmoid, ActivationKind::tanh, ActivationKind::relu,
                          ActivationKind::leaky_relu, ActivationKind::linear}) {
    SECTION(to_string(kind)) {
      Activation layer(kind, {7}, 0.1f);
      check_layer_gradients(layer, away_from_kinks({5, 7}, 11));
    }
  }
}

TEST_CASE("the layer's forward pass agrees with activation_value element by element", "[activation]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  const Tensor x = away_from_kinks({3, 4}, 3);
  for (const auto kind : {ActivationKind::sigmoid, ActivationKind::tanh, ActivationKind::relu,
                          ActivationKind::leaky_relu}) {
    Activation layer(kind, {4});
    const Tensor& y = layer.forward(x, context);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(y[i] == Approx(activation_value(kind, x[i])).epsilon(1e-5));
  }
}

TEST_CASE("leaky ReLU rejects a slope outside 0 to 1", "[activation][validation]") {
  CHECK_THROWS_WITH(Activation(ActivationKind::leaky_relu, {3}, -0.5f), Catch::Contains("slope") && Catch::Contains("-0.5"));
  CHECK_THROWS_WITH(Activation(ActivationKind::leaky_relu, {3}, 1.0f), Catch::Contains("slope"));
}

TEST_CASE("softmax of the course's example z = 3 -2 6", "[softmax][golden]") {
  // e^3 / (e^3 + e^-2 + e^6) = 20.0855 / 423.5092 = 0.0474, e^-2 / ... = 0.0003, e^6 / ... = 0.9523
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  Softmax softmax(3);
  Tensor z({1, 3});
  z[0] = 3.0f;
  z[1] = -2.0f;
  z[2] = 6.0f;
  const Tensor& a = softmax.forward(z, context);
  CHECK(a[0] == Approx(0.0474).margin(5e-5));
  CHECK(a[1] == Approx(0.0003).margin(5e-5));
  CHECK(a[2] == Approx(0.9523).margin(5e-5));
  CHECK(a[0] + a[1] + a[2] == Approx(1.0f));
}

TEST_CASE("softmax stays finite for huge logits", "[softmax]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  Softmax softmax(2);
  Tensor z({1, 2});
  z[0] = 1000.0f;
  z[1] = 0.0f;
  const Tensor& a = softmax.forward(z, context);
  CHECK(a[0] == Approx(1.0f));
  CHECK(a[1] == Approx(0.0f).margin(1e-30));
}

TEST_CASE("softmax layer passes the numerical gradient check", "[grad][softmax]") {
  Random rng(5);
  Softmax softmax(6);
  check_layer_gradients(softmax, random_tensor({4, 6}, rng));
}

TEST_CASE("flatten passes the numerical gradient check and keeps the data", "[grad][flatten]") {
  Random rng(9);
  Flatten flatten({2, 3, 3});
  const Tensor x = random_tensor({2, 2, 3, 3}, rng);
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  const Tensor& y = flatten.forward(x, context);
  REQUIRE(y.shape() == Shape{2, 18});
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(y[i] == x[i]);
  check_layer_gradients(flatten, x);
}
