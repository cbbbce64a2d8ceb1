// The numbers the course labs show, pinned against the lecture and hand derivations:
// softmax of [3, −2, 6], one EWA step with and without bias correction, one step of each optimiser
// on the elongated bowl (curvatures 1 and 50), the surfaces' gradients, activation curves and the toy data sets.
#include "labs/activation_curves.hpp"
#include "labs/ewa.hpp"
#include "labs/loss_surface.hpp"
#include "labs/optimizer_trajectory.hpp"
#include "labs/softmax_example.hpp"
#include "labs/toy_data.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;

TEST_CASE("labs softmax of the lecture's z = [3 -2 6] is 0.047 0.0003 0.952", "[labs][softmax][golden]") {
  const SoftmaxReport report = softmax_report({3.0f, -2.0f, 6.0f}, 2);
  // e^3 = 20.0855, e^-2 = 0.1353, e^6 = 403.4288; sum = 423.6496.
  REQUIRE(report.softmax.size() == 3);
  CHECK(report.softmax[0] == Approx(20.0855 / 423.6496).epsilon(1e-5));
  CHECK(report.softmax[1] == Approx(0.1353353 / 423.6496).epsilon(1e-4));
  CHECK(report.softmax[2] == Approx(403.4288 / 423.6496).epsilon(1e-5));
  // To the lecture's precision.
  CHECK(std::round(report.softmax[0] * 1000) / 1000 == Approx(0.047));
  CHECK(std::round(report.softmax[1] * 10000) / 10000 == Approx(0.0003));
  CHECK(std::round(report.softmax[2] * 1000) / 1000 == Approx(0.952));
  CHECK(report.hardmax == std::vector<float>{0.0f, 0.0f, 1.0f});
  CHECK(report.predicted == 2);
  // L(y, ŷ) = −log ŷ_2 = −log 0.95227 = 0.048896
  CHECK(report.loss == Approx(-std::log(403.4288 / 423.6496)).epsilon(1e-4));
  // True class 0: −log 0.047411 = 3.04890
  CHECK(softmax_report({3.0f, -2.0f, 6.0f}, 0).loss == Approx(3.04890).epsilon(1e-4));
}

TEST_CASE("labs softmax rejects a bad class or logits", "[labs][softmax][validation]") {
  CHECK_THROWS_WITH(softmax_report({1.0f, 2.0f}, 2), Catch::Contains("trueClass"));
  CHECK_THROWS_WITH(softmax_report({}, 0), Catch::Contains("logits"));
  CHECK_THROWS_WITH(softmax_report({1.0f, NAN}, 0), Catch::Contains("logits[1]"));
}

TEST_CASE("labs EWA first steps with and without bias correction by hand", "[labs][ewa][golden]") {
  // β = 0.9, θ = 10, 20:  V1 = 0.1·10 = 1, corrected 1 / (1 − 0.9) = 10;
  // V2 = 0.9·1 + 0.1·20 = 2.9, corrected 2.9 / (1 − 0.81) = 15.263158.
  const EwaSeries series = exponentially_weighted_average({10.0f, 20.0f}, 0.9f);
  REQUIRE(series.plain.size() == 2);
  CHECK(series.plain[0] == Approx(1.0f));
  CHECK(series.corrected[0] == Approx(10.0f));
  CHECK(series.plain[1] == Approx(2.9f));
  CHECK(series.corrected[1] == Approx(15.263158f));
  // β = 0 follows θ exactly.
  CHECK(exponentially_weighted_average({3.0f, -1.0f}, 0.0f).plain == std::vector<float>{3.0f, -1.0f});
  CHECK_THROWS_WITH(exponentially_weighted_average({1.0f}, 1.0f), Catch::Contains("ewa.beta"));
}

TEST_CASE("labs temperature series is seeded and yearly", "[labs][ewa]") {
  const auto a = temperature_series(365, 3.0f, 7), b = temperature_series(365, 3.0f, 7);
  CHECK(a == b);
  CHECK(a != temperature_series(365, 3.0f, 8));
  const auto clean = temperature_series(365, 0.0f, 1);
  CHECK(clean[14] == Approx(5.0f));    // day 15: the coldest, 15 − 10
  CHECK(clean[196] == Approx(25.0f).margin(0.01f));  // half a year later: the warmest
}

TEST_CASE("labs surfaces gradients match centred differences", "[labs][surface][grad]") {
  for (const char* name : {"bowl", "rosenbrock", "saddle"}) {
    const SurfaceKind kind = parse_surface(name);
    for (const auto& [w1, w2] : std::vector<std::pair<double, double>>{{-1.3, 0.7}, {0.4, -0.2}, {1.1, 1.9}}) {
      double d1 = 0, d2 = 0;
      surface_gradient(kind, w1, w2, d1, d2);
      const double h = 1e-6;
      CHECK(d1 == Approx((surface_value(kind, w1 + h, w2) - surface_value(kind, w1 - h, w2)) / (2 * h)).epsilon(1e-5));
      CHECK(d2 == Approx((surface_value(kind, w1, w2 + h) - surface_value(kind, w1, w2 - h)) / (2 * h)).epsilon(1e-5));
    }
  }
  CHECK(surface_value(SurfaceKind::rosenbrock, 1, 1) == 0.0);
  CHECK_THROWS_WITH(parse_surface("bowel"), Catch::Contains("bowel"));
}

TEST_CASE("labs one step of each optimiser on the bowl by hand", "[labs][optim][golden]") {
  // Start W = (2, 1): dW = (w1, 50 w2) = (2, 50); α = 0.02.
  OptimizerConfig config;
  config.learning_rate = 0.02f;
  SECTION("SGD: W = W − α dW = (1.96, 0)") {
    config.kind = "sgd";
    const Trajectory path = optimizer_trajectory(SurfaceKind::bowl, config, 2.0f, 1.0f, 1);
    REQUIRE(path.w1.size() == 2);
    CHECK(path.w1[1] == Approx(1.96f));
    CHECK(path.w2[1] == Approx(0.0f).margin(1e-6));
    CHECK(path.loss[0] == Approx(0.5 * (4 + 50)));
    CHECK(path.loss[1] == Approx(0.5 * 1.96 * 1.96));
  }
  SECTION("momentum β = 0.9: v = 0.1 dW = (0.2, 5), W = W − α v = (1.996, 0.9)") {
    config.kind = "momentum";
    config.beta = 0.9f;
    const Trajectory path = optimizer_trajectory(SurfaceKind::bowl, config, 2.0f, 1.0f, 1);
    CHECK(path.w1[1] == Approx(1.996f));
    CHECK(path.w2[1] == Approx(0.9f));
  }
  SECTION("RMSProp β = 0.9: s = 0.1 dW² = (0.4, 250), W = W − α dW/(√s + ε) = (2 − 0.02·2/0.632456, 1 − 0.02·50/15.811388)") {
    config.kind = "rmsprop";
    config.beta = 0.9f;
    const Trajectory path = optimizer_trajectory(SurfaceKind::bowl, config, 2.0f, 1.0f, 1);
    CHECK(path.w1[1] == Approx(2.0 - 0.04 / std::sqrt(0.4)).epsilon(1e-5));
    CHECK(path.w2[1] == Approx(1.0 - 1.0 / std::sqrt(250.0)).epsilon(1e-5));
  }
  SECTION("Adam: the first step moves each coordinate by α (v̂ = dW, ŝ = dW²)") {
    config.kind = "adam";
    const Trajectory path = optimizer_trajectory(SurfaceKind::bowl, config, 2.0f, 1.0f, 1);
    CHECK(path.w1[1] == Approx(1.98f));
    CHECK(path.w2[1] == Approx(0.98f));
  }
}

TEST_CASE("labs trajectories converge on the bowl and report divergence", "[labs][optim]") {
  OptimizerConfig config;
  config.kind = "sgd";
  config.learning_rate = 0.02f;
  Trajectory path = optimizer_trajectory(SurfaceKind::bowl, config, -4.0f, 2.0f, 1000);
  CHECK_FALSE(path.diverged);
  CHECK(path.loss.back() < 1e-6f);
  // α > 2/50 makes the w2 direction (curvature 50) grow each step.
  config.learning_rate = 0.05f;
  path = optimizer_trajectory(SurfaceKind::bowl, config, -4.0f, 2.0f, 1000);
  CHECK(path.diverged);
  config.learning_rate = -1.0f;
  CHECK_THROWS_WITH(optimizer_trajectory(SurfaceKind::bowl, config, 0, 0, 1), Catch::Contains("learning_rate"));
}

TEST_CASE("labs activation curves are the engine's g and g prime", "[labs][activation]") {
  const ActivationCurve sigmoid = activation_curve("sigmoid", -2.0f, 2.0f, 5, 0.01f);
  CHECK(sigmoid.z == std::vector<float>{-2, -1, 0, 1, 2});
  CHECK(sigmoid.value[2] == Approx(0.5f));
  CHECK(sigmoid.derivative[2] == Approx(0.25f));  // the sigmoid's largest slope
  const ActivationCurve tanh = activation_curve("tanh", -1.0f, 1.0f, 3, 0.01f);
  CHECK(tanh.derivative[1] == Approx(1.0f));
  CHECK(tanh.derivative[2] == Approx(1 - std::tanh(1.0) * std::tanh(1.0)));
  const ActivationCurve leaky = activation_curve("leaky_relu", -1.0f, 1.0f, 3, 0.01f);
  CHECK(leaky.value[0] == Approx(-0.01f));
  CHECK(leaky.derivative[0] == Approx(0.01f));
  CHECK(leaky.derivative[2] == Approx(1.0f));
  CHECK_THROWS_WITH(activation_curve("swish", -1, 1, 3, 0.01f), Catch::Contains("swish"));
}

TEST_CASE("labs toy data sets are seeded balanced and shaped", "[labs][data]") {
  for (const char* kind : {"blobs", "spiral", "circles"}) {
    const PointSet a = make_point_set(kind, 101, 0.1f, 3);
    CHECK(a.count() == 101);
    CHECK(a.x.size() == 202);
    CHECK(std::count(a.labels.begin(), a.labels.end(), 0.0f) == 50);
    CHECK(make_point_set(kind, 101, 0.1f, 3).x == a.x);
    CHECK(make_point_set(kind, 101, 0.1f, 4).x != a.x);
  }
  const PointSet circles = make_point_set("circles", 10, 0.0f, 1);
  CHECK(std::hypot(circles.x[0], circles.x[1]) == Approx(0.5f));
  CHECK(std::hypot(circles.x[18], circles.x[19]) == Approx(1.0f));
  CHECK_THROWS_WITH(make_point_set("moons", 10, 0.1f, 1), Catch::Contains("moons"));
  CHECK_THROWS_WITH(make_point_set("blobs", 1, 0.1f, 1), Catch::Contains("points.count"));
}
