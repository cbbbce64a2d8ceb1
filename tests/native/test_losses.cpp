#include "losses/mean_squared_error.hpp"
#include "losses/sigmoid_binary_cross_entropy.hpp"
#include "losses/softmax_cross_entropy.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;
using namespace profundo::testing;

namespace {
Tensor one_hot(const std::vector<int>& labels, int classes) {
  Tensor t({static_cast<int>(labels.size()), classes});
  for (std::size_t i = 0; i < labels.size(); ++i) t[i * classes + labels[i]] = 1.0f;
  return t;
}
}  // namespace

TEST_CASE("softmax cross-entropy of the course's cat example", "[loss][golden]") {
  // ŷ = (0.3, 0.2, 0.1, 0.4) and y = cat (class 1): L = −log 0.2 = 1.6094. Logits log ŷ give that ŷ.
  SoftmaxCrossEntropy loss;
  Tensor logits({1, 4});
  const float probabilities[] = {0.3f, 0.2f, 0.1f, 0.4f};
  for (int i = 0; i < 4; ++i) logits[i] = std::log(probabilities[i]);
  CHECK(loss.forward(logits, one_hot({1}, 4)) == Approx(-std::log(0.2)).epsilon(1e-5));
  // dL/dz = ŷ − y
  const Tensor& grad = loss.backward();
  CHECK(grad[0] == Approx(0.3f));
  CHECK(grad[1] == Approx(0.2f - 1.0f));
}

TEST_CASE("softmax cross-entropy is stable for huge logits", "[loss]") {
  SoftmaxCrossEntropy loss;
  Tensor logits({1, 3});
  logits[0] = 1000.0f;
  logits[1] = -1000.0f;
  logits[2] = 0.0f;
  CHECK(loss.forward(logits, one_hot({0}, 3)) == Approx(0.0f).margin(1e-6));
  CHECK(loss.forward(logits, one_hot({1}, 3)) == Approx(2000.0f));
  for (std::size_t i = 0; i < 3; ++i) CHECK(std::isfinite(loss.backward()[i]));
}

TEST_CASE("losses pass the numerical gradient check", "[grad][loss]") {
  Random rng(21);
  SECTION("softmax cross-entropy, one-hot and soft targets") {
    SoftmaxCrossEntropy loss;
    check_loss_gradient(loss, random_tensor({4, 5}, rng, 2.0f), one_hot({0, 3, 4, 1}, 5));
    Tensor soft({2, 3});
    const float values[] = {0.2f, 0.5f, 0.3f, 0.0f, 0.1f, 0.9f};
    for (int i = 0; i < 6; ++i) soft[i] = values[i];
    check_loss_gradient(loss, random_tensor({2, 3}, rng), soft);
  }
  SECTION("sigmoid binary cross-entropy") {
    SigmoidBinaryCrossEntropy loss;
    Tensor target({6, 1});
    for (int i = 0; i < 6; ++i) target[i] = static_cast<float>(i % 2);
    check_loss_gradient(loss, random_tensor({6, 1}, rng, 3.0f), target);
  }
  SECTION("mean squared error") {
    MeanSquaredError loss;
    check_loss_gradient(loss, random_tensor({3, 4}, rng), random_tensor({3, 4}, rng));
  }
}

TEST_CASE("binary cross-entropy follows L = −(y log ŷ + (1 − y) log(1 − ŷ))", "[loss][golden]") {
  SigmoidBinaryCrossEntropy loss;
  Tensor z({2, 1});
  z[0] = 0.5f;
  z[1] = -1.5f;
  Tensor y({2, 1});
  y[0] = 1.0f;
  y[1] = 0.0f;
  const double a0 = 1.0 / (1.0 + std::exp(-0.5));
  const double a1 = 1.0 / (1.0 + std::exp(1.5));
  const double expected = (-std::log(a0) - std::log(1.0 - a1)) / 2.0;
  CHECK(loss.forward(z, y) == Approx(expected).epsilon(1e-6));
  // Stable far out: σ(−100) underflows, the fused form does not.
  z[0] = -100.0f;
  CHECK(loss.forward(z, y) == Approx((100.0 - std::log(1.0 - a1)) / 2.0).epsilon(1e-5));
}

TEST_CASE("mean squared error averages over every element", "[loss][golden]") {
  MeanSquaredError loss;
  Tensor o({2, 2});
  Tensor t({2, 2});
  o[0] = 1.0f;
  o[3] = -2.0f;
  CHECK(loss.forward(o, t) == Approx((1.0 + 4.0) / 4.0));
}

TEST_CASE("make_loss rejects unknown names", "[loss][validation]") {
  CHECK_THROWS_WITH(make_loss("hinge"), Catch::Contains("hinge") && Catch::Contains("softmax_cross_entropy"));
}
