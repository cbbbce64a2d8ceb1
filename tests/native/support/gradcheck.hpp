// A generic numerical gradient checker for layers and losses.
// The scalar driven through the layer is L = Σ w ⊙ y with a fixed random w, so dL/dy = w; the
// analytic gradients from backward() are compared with centred differences
//   (L(θ + ε) − L(θ − ε)) / 2ε
// for every input element and every parameter element. Elements sitting on a kink (ReLU at 0,
// max-pool ties) are skipped by the caller through `skip_input`, never by loosening the tolerance.
#pragma once

#include "layers/layer.hpp"
#include "losses/loss.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>

namespace profundo::testing {

// Two threads where the build has them (the single-threaded wasm build has only one).
inline int max_test_threads() { return ThreadPool::threads_supported() ? 2 : 1; }

// For a test that needs two threads: on a build without them it prints the marker that ctest
// reads as "skipped" (tests/CMakeLists.txt, SKIP_REGULAR_EXPRESSION), and the test returns when
// this is true, so that build reports it skipped, not passed.
inline bool skipped_without_threads() {
  if (ThreadPool::threads_supported()) return false;
  WARN("SKIPPED: this build has no threads (the test needs two)");
  return true;
}

struct GradcheckOptions {
  double epsilon = 1e-2;     // float32 arithmetic: smaller steps drown in rounding error
  double tolerance = 2e-3;   // on |a − n| / max(1, |a|, |n|)
  std::uint32_t seed = 7;
};

inline Tensor random_tensor(const Shape& shape, Random& rng, float scale = 1.0f) {
  Tensor t(shape);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = rng.normal(0.0f, scale);
  return t;
}

inline double weighted_sum(const Tensor& y, const Tensor& w) {
  double total = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) total += static_cast<double>(y[i]) * w[i];
  return total;
}

inline double relative_error(double analytic, double numeric) {
  return std::fabs(analytic - numeric) / std::max({1.0, std::fabs(analytic), std::fabs(numeric)});
}

// Checks d(Σ w ⊙ layer(x))/dx and d/dθ for every parameter θ of the layer. Returns the worst error.
inline double check_layer_gradients(Layer& layer, Tensor x, const GradcheckOptions& options = {},
                                    const std::function<bool(std::size_t)>& skip_input = nullptr) {
  ThreadPool pool(1);
  Random rng(options.seed);
  RunContext context{pool, Mode::train, nullptr};
  // The forward pass must be repeatable for the check to mean anything (dropout fixes its mask).
  const Tensor w = random_tensor(layer.forward(x, context).shape(), rng);
  const auto loss = [&](const Tensor& input) { return weighted_sum(layer.forward(input, context), w); };

  for (auto& p : layer.parameters()) p.grad->set_zero();
  layer.forward(x, context);
  const Tensor dx = layer.backward(w, context);
  double worst = 0.0;

  for (std::size_t i = 0; i < x.size(); ++i) {
    if (skip_input && skip_input(i)) continue;
    const float saved = x[i];
    x[i] = static_cast<float>(saved + options.epsilon);
    const double plus = loss(x);
    x[i] = static_cast<float>(saved - options.epsilon);
    const double minus = loss(x);
    x[i] = saved;
    const double numeric = (plus - minus) / (2.0 * options.epsilon);
    const double error = relative_error(dx[i], numeric);
    worst = std::max(worst, error);
    INFO(layer.kind() << ": input element " << i << " analytic " << dx[i] << " numeric " << numeric);
    REQUIRE(error < options.tolerance);
  }
  for (auto& p : layer.parameters()) {
    const Tensor analytic = *p.grad;
    for (std::size_t i = 0; i < p.value->size(); ++i) {
      float& value = (*p.value)[i];
      const float saved = value;
      value = static_cast<float>(saved + options.epsilon);
      const double plus = loss(x);
      value = static_cast<float>(saved - options.epsilon);
      const double minus = loss(x);
      value = saved;
      const double numeric = (plus - minus) / (2.0 * options.epsilon);
      const double error = relative_error(analytic[i], numeric);
      worst = std::max(worst, error);
      INFO(layer.kind() << ": parameter " << p.name << " element " << i << " analytic " << analytic[i] << " numeric "
                        << numeric);
      REQUIRE(error < options.tolerance);
    }
  }
  return worst;
}

// Checks d(loss(output, target))/d(output).
inline double check_loss_gradient(Loss& loss, Tensor output, const Tensor& target,
                                  const GradcheckOptions& options = {}) {
  loss.forward(output, target);
  const Tensor analytic = loss.backward();
  double worst = 0.0;
  for (std::size_t i = 0; i < output.size(); ++i) {
    const float saved = output[i];
    output[i] = static_cast<float>(saved + options.epsilon);
    const double plus = loss.forward(output, target);
    output[i] = static_cast<float>(saved - options.epsilon);
    const double minus = loss.forward(output, target);
    output[i] = saved;
    const double numeric = (plus - minus) / (2.0 * options.epsilon);
    const double error = relative_error(analytic[i], numeric);
    worst = std::max(worst, error);
    INFO(loss.kind() << ": output element " << i << " analytic " << analytic[i] << " numeric " << numeric);
    REQUIRE(error < options.tolerance);
  }
  return worst;
}

}  // namespace profundo::testing

#include "sequence/recurrent_layer.hpp"

namespace profundo::testing {

// Checks a recurrent layer over a whole sequence x: [T, N, I] starting from `initial_state`
// ({h} or {h, c}, each [N, H]): d(Σ w ⊙ y)/dx, d/d(initial state) and d/dθ for every parameter.
// The state is set again before every forward pass, since the layer carries it between calls.
inline double check_recurrent_gradients(RecurrentLayer& layer, Tensor x, std::vector<Tensor> initial_state,
                                        const GradcheckOptions& options = {}) {
  ThreadPool pool(1);
  Random rng(options.seed);
  RunContext context{pool, Mode::train, nullptr};
  const auto run = [&]() -> const Tensor& {
    for (std::size_t s = 0; s < initial_state.size(); ++s) layer.state()[s] = initial_state[s];
    return layer.forward(x, context);
  };
  const Tensor w = random_tensor(run().shape(), rng);
  const auto loss = [&] { return weighted_sum(run(), w); };

  for (auto& p : layer.parameters()) p.grad->set_zero();
  run();
  const Tensor dx = layer.backward(w, context);
  const std::vector<Tensor> d_state = layer.state_grad();
  double worst = 0.0;
  const auto check = [&](float& value, double analytic, const std::string& what) {
    const float saved = value;
    value = static_cast<float>(saved + options.epsilon);
    const double plus = loss();
    value = static_cast<float>(saved - options.epsilon);
    const double minus = loss();
    value = saved;
    const double numeric = (plus - minus) / (2.0 * options.epsilon);
    const double error = relative_error(analytic, numeric);
    worst = std::max(worst, error);
    INFO(layer.kind() << ": " << what << " analytic " << analytic << " numeric " << numeric);
    REQUIRE(error < options.tolerance);
  };
  for (std::size_t i = 0; i < x.size(); ++i) check(x[i], dx[i], "input element " + std::to_string(i));
  for (std::size_t s = 0; s < initial_state.size(); ++s)
    for (std::size_t i = 0; i < initial_state[s].size(); ++i)
      check(initial_state[s][i], d_state[s][i], "initial state " + std::to_string(s) + " element " + std::to_string(i));
  for (auto& p : layer.parameters()) {
    const Tensor analytic = *p.grad;
    for (std::size_t i = 0; i < p.value->size(); ++i)
      check((*p.value)[i], analytic[i], "parameter " + p.name + " element " + std::to_string(i));
  }
  return worst;
}

}  // namespace profundo::testing
