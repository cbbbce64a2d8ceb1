#include "cli/layer_profile.hpp"

#include <chrono>
#include <cstdio>

namespace profundo::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

std::vector<LayerTime> profile_training_step(Model& model, Optimizer& optimizer, const Tensor& x,
                                             const Tensor& target, int threads, double seconds) {
  ThreadPool pool(threads);
  Random dropout(1, RandomStream::dropout);
  RunContext context{pool, Mode::train, &dropout};
  auto& layers = model.layers();
  std::vector<LayerTime> times(layers.size() + 1);
  for (std::size_t i = 0; i < layers.size(); ++i) times[i].name = std::to_string(i) + " " + layers[i]->kind();
  times.back().name = "loss + optimiser";

  int steps = -1;  // the first step warms up and is not counted
  const auto start = Clock::now();
  while (steps < 1 || seconds_since(start) < seconds) {
    const bool counted = steps >= 0;
    const Tensor* current = &x;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const auto t = Clock::now();
      current = &layers[i]->forward(*current, context);
      if (counted) times[i].forward += seconds_since(t);
    }
    auto t = Clock::now();
    model.loss().forward(*current, target);
    model.zero_grad();
    current = &model.loss().backward();
    if (counted) times.back().forward += seconds_since(t);
    for (std::size_t i = layers.size(); i-- > 0;) {
      t = Clock::now();
      current = &layers[i]->backward(*current, context);
      if (counted) times[i].backward += seconds_since(t);
    }
    t = Clock::now();
    optimizer.step(model.parameters(), 1e-4f);
    if (counted) times.back().backward += seconds_since(t);
    ++steps;
  }
  for (auto& time : times) {
    time.forward /= steps;
    time.backward /= steps;
  }
  return times;
}

std::vector<LayerTime> profile_inference(Model& model, const Tensor& x, int threads, double seconds) {
  ThreadPool pool(threads);
  RunContext context{pool, Mode::eval, nullptr};
  auto& layers = model.layers();
  std::vector<LayerTime> times(layers.size());
  int steps = -1;  // the first pass warms up and is not counted
  const auto start = Clock::now();
  while (steps < 1 || seconds_since(start) < seconds) {
    const Tensor* current = &x;
    for (std::size_t i = 0; i < layers.size();) {
      const auto t = Clock::now();
      const std::size_t ran = model.forward_layer(i, current, context);
      if (steps >= 0) times[i].forward += seconds_since(t);
      if (times[i].name.empty()) {
        times[i].name = std::to_string(i) + " " + layers[i]->kind();
        for (std::size_t fused = i + 1; fused < i + ran; ++fused) times[i].name += "+" + layers[fused]->kind();
      }
      i += ran;
    }
    ++steps;
  }
  std::vector<LayerTime> ran;  // the layers that were timed (not those fused into the one before)
  for (auto& time : times) {
    if (time.name.empty()) continue;
    time.forward /= steps;
    ran.push_back(time);
  }
  return ran;
}

void print_layer_profile(const std::vector<LayerTime>& times) {
  double total = 0;
  for (const auto& time : times) total += time.forward + time.backward;
  std::printf("  %-20s %12s %12s %8s\n", "layer", "forward ms", "backward ms", "share");
  for (const auto& time : times) {
    std::printf("  %-20s %12.3f %12.3f %7.1f%%\n", time.name.c_str(), 1e3 * time.forward, 1e3 * time.backward,
                100.0 * (time.forward + time.backward) / total);
  }
  std::printf("  %-20s %25.3f ms per step\n", "total", 1e3 * total);
}

}  // namespace profundo::cli
