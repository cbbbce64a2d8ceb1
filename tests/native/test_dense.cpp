#include "layers/dense.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

using namespace profundo;
using namespace profundo::testing;

TEST_CASE("dense computes x W^T + b", "[dense]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  Dense dense(2, 3, Init::zeros);
  // W = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1, 2]
  for (int i = 0; i < 6; ++i) dense.weight()[i] = static_cast<float>(i + 1);
  dense.bias()[0] = 0.5f;
  dense.bias()[1] = -1.0f;
  dense.bias()[2] = 2.0f;
  Tensor x({1, 2});
  x[0] = 1.0f;
  x[1] = -1.0f;
  const Tensor& y = dense.forward(x, context);
  REQUIRE(y.shape() == Shape{1, 3});
  CHECK(y[0] == Approx(1 - 2 + 0.5));
  CHECK(y[1] == Approx(3 - 4 - 1));
  CHECK(y[2] == Approx(5 - 6 + 2));
}

TEST_CASE("dense passes the numerical gradient check for inputs and weights and biases", "[grad][dense]") {
  Random rng(3);
  Dense dense(5, 4, Init::xavier_normal, 0.1f);
  dense.initialize(rng);
  check_layer_gradients(dense, random_tensor({6, 5}, rng));
}

TEST_CASE("dense gradients accumulate across backward calls", "[dense]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  Random rng(1);
  Dense dense(3, 2, Init::xavier_uniform);
  dense.initialize(rng);
  const Tensor x = random_tensor({4, 3}, rng);
  const Tensor dy = random_tensor({4, 2}, rng);
  for (auto& p : dense.parameters()) p.grad->set_zero();
  dense.forward(x, context);
  dense.backward(dy, context);
  const Tensor once = *dense.parameters()[0].grad;
  dense.backward(dy, context);
  const Tensor twice = *dense.parameters()[0].grad;
  for (std::size_t i = 0; i < once.size(); ++i) CHECK(twice[i] == Approx(2 * once[i]));
}

TEST_CASE("dense rejects a size of zero", "[dense][validation]") {
  CHECK_THROWS_WITH(Dense(4, 0), Catch::Contains("units") && Catch::Contains("0"));
  CHECK_THROWS_WITH(Dense(0, 4), Catch::Contains("in_features"));
}
