// Golden steps computed by hand for one scalar parameter W = 1 with gradients 0.5 then −0.25 and
// α = 0.1; each derivation is written next to its numbers.
#include "optim/optimizer.hpp"
#include "optim/schedule.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;

namespace {

struct ScalarParameter {
  Tensor value{{1}, 1.0f};
  Tensor grad{{1}};
  std::vector<Parameter> list() { return {{&value, &grad, "W", true}}; }
};

std::vector<float> steps(const OptimizerConfig& config, std::initializer_list<float> gradients) {
  ScalarParameter w;
  auto optimizer = make_optimizer(config);
  auto parameters = w.list();
  std::vector<float> values;
  for (const float gradient : gradients) {
    w.grad[0] = gradient;
    optimizer->step(parameters, config.learning_rate);
    values.push_back(w.value[0]);
  }
  return values;
}

std::vector<float> two_steps(const OptimizerConfig& config) { return steps(config, {0.5f, -0.25f}); }

OptimizerConfig with(const std::string& kind) {
  OptimizerConfig config;
  config.kind = kind;
  config.learning_rate = 0.1f;
  return config;
}

}  // namespace

TEST_CASE("SGD: W = W − α dW", "[optim][golden]") {
  // W1 = 1 − 0.1·0.5 = 0.95;  W2 = 0.95 − 0.1·(−0.25) = 0.975
  const auto w = two_steps(with("sgd"));
  CHECK(w[0] == Approx(0.95f));
  CHECK(w[1] == Approx(0.975f));
}

TEST_CASE("momentum: v = βv + (1 − β)dW then W = W − αv", "[optim][golden]") {
  // v1 = 0.1·0.5 = 0.05,                   W1 = 1 − 0.1·0.05 = 0.995
  // v2 = 0.9·0.05 + 0.1·(−0.25) = 0.02,    W2 = 0.995 − 0.1·0.02 = 0.993
  const auto w = two_steps(with("momentum"));
  CHECK(w[0] == Approx(0.995f));
  CHECK(w[1] == Approx(0.993f));
}

TEST_CASE("RMSProp: s = βs + (1 − β)dW² then W = W − α dW / (√s + ε)", "[optim][golden]") {
  // s1 = 0.1·0.25 = 0.025,                     W1 = 1 − 0.1·0.5/√0.025 = 1 − 0.3162278 = 0.6837722
  // s2 = 0.9·0.025 + 0.1·0.0625 = 0.02875,     W2 = 0.6837722 + 0.1·0.25/√0.02875 = 0.8312142
  const auto w = two_steps(with("rmsprop"));
  CHECK(w[0] == Approx(0.6837722f).epsilon(1e-6));
  CHECK(w[1] == Approx(0.8312142f).epsilon(1e-6));
}

TEST_CASE("Adam: moments with bias correction (Kingma & Ba)", "[optim][golden]") {
  // t=1: v = 0.05, s = 0.001·0.25 = 0.00025; v̂ = 0.05/0.1 = 0.5, ŝ = 0.00025/0.001 = 0.25
  //      W1 = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.9
  // t=2: v = 0.9·0.05 − 0.1·0.25 = 0.02, s = 0.999·0.00025 + 0.001·0.0625 = 0.00031225
  //      v̂ = 0.02/(1 − 0.81) = 0.1052632, ŝ = 0.00031225/(1 − 0.998001) = 0.1562031
  //      W2 = 0.9 − 0.1·0.1052632/√0.1562031 = 0.9 − 0.0266337 = 0.8733663
  const auto w = two_steps(with("adam"));
  CHECK(w[0] == Approx(0.9f).epsilon(1e-6));
  CHECK(w[1] == Approx(0.8733663f).epsilon(1e-6));
}

TEST_CASE("Adam with AMSGrad divides by the largest second moment so far (Reddi et al., PyTorch's amsgrad)", "[optim][golden]") {
  // Gradients 0.5 then 0.01, so s shrinks at t=2 and AMSGrad keeps the larger s of t=1:
  // t=1: as plain Adam, W1 = 0.9 (s = s_max = 0.00025)
  // t=2: v = 0.9·0.05 + 0.1·0.01 = 0.046, v̂ = 0.046/0.19 = 0.2421053
  //      s = 0.999·0.00025 + 0.001·0.0001 = 0.00024985 < s_max = 0.00025
  //      Adam:    ŝ = 0.00024985/0.001999 = 0.1249875, W2 = 0.9 − 0.1·0.2421053/√0.1249875 = 0.8315189
  //      AMSGrad: ŝ = 0.00025/0.001999    = 0.1250625, W2 = 0.9 − 0.1·0.2421053/√0.1250625 = 0.8315394
  auto config = with("adam");
  CHECK(steps(config, {0.5f, 0.01f})[1] == Approx(0.8315189f).epsilon(1e-6));
  config.amsgrad = true;
  const auto w = steps(config, {0.5f, 0.01f});
  CHECK(w[0] == Approx(0.9f).epsilon(1e-6));
  CHECK(w[1] == Approx(0.8315394f).epsilon(1e-6));
  // Its state: v, s and s_max for the one parameter.
  ScalarParameter p;
  auto parameters = p.list();
  auto adam = make_optimizer(config);
  adam->step(parameters, 0.1f);
  CHECK(adam->state().size() == 3);
}

TEST_CASE("optimiser state is indexed by parameter position", "[optim]") {
  Tensor a({2}, 1.0f), da({2}, 1.0f), b({1}, 1.0f), db({1}, -1.0f);
  std::vector<Parameter> parameters = {{&a, &da, "a", true}, {&b, &db, "b", false}};
  auto adam = make_optimizer(with("adam"));
  adam->step(parameters, 0.1f);
  REQUIRE(adam->state().size() == 4);  // v for a, v for b, s for a, s for b
  CHECK(adam->state()[0].size() == 2);
  CHECK(adam->state()[1].size() == 1);
  CHECK(adam->state()[1][0] == Approx(-0.1f));
  CHECK(adam->steps() == 1);
}

TEST_CASE("invalid optimiser hyper-parameters are rejected with the field and the value", "[optim][validation]") {
  auto config = with("adam");
  config.learning_rate = 0.0f;
  CHECK_THROWS_WITH(make_optimizer(config), Catch::Contains("learning_rate") && Catch::Contains("0"));
  config.learning_rate = -1.0f;
  CHECK_THROWS_WITH(make_optimizer(config), Catch::Contains("learning_rate") && Catch::Contains("-1"));
  config.learning_rate = std::nanf("");
  CHECK_THROWS_WITH(make_optimizer(config), Catch::Contains("learning_rate") && Catch::Contains("nan"));
  config = with("adam");
  config.beta1 = 1.0f;
  CHECK_THROWS_WITH(make_optimizer(config), Catch::Contains("beta1") && Catch::Contains("1"));
  config = with("momentum");
  config.beta = -0.1f;
  CHECK_THROWS_WITH(make_optimizer(config), Catch::Contains("beta") && Catch::Contains("-0.1"));
  config = with("adam");
  config.beta2 = 1.5f;
  CHECK_THROWS_WITH(make_optimizer(config), Catch::Contains("beta2"));
  config = with("adam");
  config.epsilon = 0.0f;
  CHECK_THROWS_WITH(make_optimizer(config), Catch::Contains("epsilon"));
  CHECK_THROWS_WITH(make_optimizer(with("adagrad")), Catch::Contains("adagrad"));
}

TEST_CASE("learning-rate schedules", "[optim][schedule][golden]") {
  ScheduleConfig schedule;
  CHECK(learning_rate_at(schedule, 0.1f, 500) == Approx(0.1f));
  // The course's α = c1 / (t + c2): c1 = 10, c2 = 100 gives 0.1 at t = 0 and 0.05 at t = 100.
  schedule.kind = "inverse_time";
  schedule.c1 = 10.0f;
  schedule.c2 = 100.0f;
  CHECK(learning_rate_at(schedule, 0.5f, 0) == Approx(0.1f));
  CHECK(learning_rate_at(schedule, 0.5f, 100) == Approx(0.05f));
  schedule.kind = "step";
  schedule.gamma = 0.5f;
  schedule.step_size = 10;
  CHECK(learning_rate_at(schedule, 0.1f, 9) == Approx(0.1f));
  CHECK(learning_rate_at(schedule, 0.1f, 10) == Approx(0.05f));
  CHECK(learning_rate_at(schedule, 0.1f, 25) == Approx(0.025f));
  schedule.kind = "exponential";
  CHECK(learning_rate_at(schedule, 0.1f, 5) == Approx(0.1f * std::pow(0.5f, 0.5f)));

  ScheduleConfig bad;
  bad.kind = "inverse_time";
  bad.c2 = 0.0f;
  CHECK_THROWS_WITH(validate(bad), Catch::Contains("c2"));
  bad.kind = "step";
  CHECK_THROWS_WITH(validate(bad), Catch::Contains("c2"));  // every field is checked, whichever the kind
  bad.c2 = 100.0f;
  bad.step_size = 0;
  CHECK_THROWS_WITH(validate(bad), Catch::Contains("step_size"));
  bad.kind = "cosine";
  CHECK_THROWS_WITH(validate(bad), Catch::Contains("cosine"));
}
