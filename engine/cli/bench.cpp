// profundo-bench: training and inference throughput of the engine on synthetic MNIST-shaped data.
//   profundo-bench [--seconds S] [--repeats R] [--threads 1,2] [--models tfjs-cnn,char-lstm,fast99] [--json] [--profile]
// Each case: a warm-up, then R timed runs of at least S seconds; the median and the range are
// reported in samples per second, with GFLOP/s from the layer shapes (a training step counted as
// the work it does: engine/model/flops.hpp). First, per thread count, the machine's ceiling for
// f32x4 multiply-adds, and natively the widest vector's (engine/core/peak_flops.hpp); each case's
// GFLOP/s is shown as a fraction of the wider one. --profile adds, for each image case, the time of every layer's forward and backward (forward
// only, ReLUs fused as in predict, for inference), and for
// the char-LSTM the time of each part of its step (core/step_profile.hpp), on a run of its own.
#include "cli/arguments.hpp"
#include "cli/layer_profile.hpp"
#include "core/build_info.hpp"
#include "core/step_profile.hpp"
#include "core/peak_flops.hpp"
#include "model/flops.hpp"
#include "model/presets.hpp"
#include "text/text_model.hpp"
#include "train/batch_trainer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

using namespace profundo;

namespace {

struct Case {
  std::string model;
  std::string kind;  // train or infer
  int batch;
};

struct Result {
  Case bench;
  int threads = 1;
  double median = 0, low = 0, high = 0;  // samples per second
  double gflops = 0;                     // at the median
};

using Clock = std::chrono::steady_clock;

// Fills the buffers with pseudo-images in [0, 1] and one-hot labels, like a scaled MNIST batch.
void fill_synthetic(BatchTrainer& trainer, int batch, std::uint32_t seed) {
  Random rng(seed);
  Tensor& x = trainer.input(batch);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform() < 0.8f ? 0.0f : rng.uniform();
  Tensor& y = trainer.target(batch);
  y.set_zero();
  const int classes = y.dim(1);
  for (int i = 0; i < batch; ++i) y[static_cast<std::size_t>(i * classes) + rng.below(static_cast<std::uint32_t>(classes))] = 1.0f;
}

double samples_per_second(BatchTrainer& trainer, const Case& bench, double seconds) {
  const auto start = Clock::now();
  long long samples = 0;
  double elapsed = 0;
  do {
    if (bench.kind == "train") trainer.step();
    else trainer.predict();
    samples += bench.batch;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return static_cast<double>(samples) / elapsed;
}

Result run_case(const Case& bench, int threads, double seconds, int repeats, bool profile) {
  const Preset preset = find_preset(bench.model);
  TrainConfig config = preset.training;
  config.batch_size = bench.batch;
  BatchTrainer trainer(preset.model, config, threads);
  fill_synthetic(trainer, bench.batch, 1);
  samples_per_second(trainer, bench, std::min(1.0, seconds / 2));  // warm-up: caches, buffers, pages
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) rates.push_back(samples_per_second(trainer, bench, seconds));
  std::sort(rates.begin(), rates.end());
  Result result{bench, threads, rates[rates.size() / 2], rates.front(), rates.back(), 0};
  const double flops = bench.kind == "train" ? training_flops_per_sample(trainer.model())
                                             : forward_flops_per_sample(trainer.model());
  result.gflops = result.median * flops / 1e9;
  if (profile && bench.kind == "train") {
    const auto times = cli::profile_training_step(trainer.model(), trainer.trainer().optimizer(), trainer.input(bench.batch),
                                                  trainer.target(bench.batch), threads, seconds);
    std::printf("%s train, batch %d, %d thread(s):\n", bench.model.c_str(), bench.batch, threads);
    cli::print_layer_profile(times);
  }
  if (profile && bench.kind == "infer") {
    const auto times = cli::profile_inference(trainer.model(), trainer.input(bench.batch), threads, seconds);
    std::printf("%s infer, batch %d, %d thread(s):\n", bench.model.c_str(), bench.batch, threads);
    cli::print_layer_profile(times);
  }
  return result;
}

// The char-LSTM case of issue #5: vocabulary 65 (tiny Shakespeare), embedding 64, one LSTM layer of
// 128 units, T = 64, N = 32, Adam, clipping at 5; one "sample" is one character of a training step.
// The text lab's model and settings, trained by the same Trainer as every model.
double characters_per_second(Trainer& trainer, const Tensor& inputs, const Tensor& targets, double seconds) {
  const auto start = Clock::now();
  long long characters = 0;
  double elapsed = 0;
  do {
    trainer.step(inputs, targets);
    characters += static_cast<long long>(inputs.size());
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return static_cast<double>(characters) / elapsed;
}

// Where the char-LSTM's step spends its time: every part timed by a ProfileScope, per step and as a
// share of the step's wall time, measured on a run of its own so the timed runs carry no clock calls.
void print_step_profile(Trainer& trainer, const Tensor& inputs, const Tensor& targets, int threads, double seconds) {
  set_step_profiling(true);
  const long long first_step = trainer.steps();
  const auto start = Clock::now();
  characters_per_second(trainer, inputs, targets, seconds);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  set_step_profiling(false);
  const double steps = static_cast<double>(trainer.steps() - first_step);
  std::printf("char-lstm train, T %d × N %d, %d thread(s), %s, %.0f steps: %.3f ms per step\n", inputs.dim(0), inputs.dim(1),
              threads, build_info().variant.c_str(), steps, 1e3 * elapsed / steps);
  std::printf("  %-44s %12s %8s\n", "part (step: phases; lstm: parts of them)", "ms per step", "share");
  for (const ProfilePart* part : profile_parts())
    if (part->seconds > 0)
      std::printf("  %-44s %12.3f %7.1f%%\n", part->name, 1e3 * part->seconds / steps, 100.0 * part->seconds / elapsed);
  std::fflush(stdout);
}

Result run_text_case(const Case& bench, int threads, double seconds, int repeats, bool profile) {
  TextConfig config;
  config.hidden_size = 128;
  config.optimizer.learning_rate = 0.002f;
  config.clip_norm = 5.0f;
  Model model(text_model_spec(config, 65));
  model.initialize(1);
  ThreadPool pool(threads);
  Trainer trainer(model, text_train_config(config), pool);
  Random data(2);
  Tensor inputs({64, 32}), targets({64, 32});
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs[i] = static_cast<float>(data.below(65));
    targets[i] = static_cast<float>(data.below(65));
  }
  characters_per_second(trainer, inputs, targets, std::min(1.0, seconds / 2));  // warm-up
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) rates.push_back(characters_per_second(trainer, inputs, targets, seconds));
  std::sort(rates.begin(), rates.end());
  Result result{bench, threads, rates[rates.size() / 2], rates.front(), rates.back(), 0};
  // Multiply-adds per character: input projection E·4H, recurrence H·4H, head H·V; ×2 FLOPs, ×3
  // for forward + backward (the LSTM's input gradient is computed: the embedding's gradient needs it).
  const double flops = 3.0 * 2.0 * (64.0 * 512 + 128.0 * 512 + 128.0 * 65);
  result.gflops = result.median * flops / 1e9;
  if (profile) print_step_profile(trainer, inputs, targets, threads, seconds);
  return result;
}

std::vector<int> parse_threads(const std::string& text) {
  std::vector<int> threads;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) threads.push_back(std::stoi(item));
  return threads;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const cli::Arguments args({argv + 1, argv + argc}, {"seconds", "repeats", "threads", "models"}, {"json", "profile"});
    const double seconds = args.number("seconds", 10.0f);
    const int repeats = args.integer("repeats", 3);
    const std::vector<int> thread_counts = parse_threads(args.text("threads", "1,2"));
    const bool as_json = args.has("json");
    const std::vector<Case> cases = {
        {"tfjs-cnn", "train", 64}, {"keras-cnn", "train", 128}, {"tfjs-cnn", "infer", 256}, {"char-lstm", "train", 32}};
    // Run only when named in --models: the page's fast99 preset, whose wall time (issue #16) is its
    // training steps and its evaluations after each epoch.
    const std::vector<Case> named_cases = {{"fast99", "train", 64}, {"fast99", "infer", 256}};
    const std::string only = args.text("models", "");
    auto named = [&](const Case& bench) { return ("," + only + ",").find("," + bench.model + ",") != std::string::npos; };

    // The ceilings first, at each thread count, while nothing else of ours runs: f32x4 (all wasm has),
    // and where the build has wider vectors or a fused multiply-add (natively), those, which "of
    // peak" then refers to.
    std::vector<double> peaks;
    for (const int threads : thread_counts) {
      const double f32x4 = peak_f32x4_gflops(threads, std::min(1.0, seconds));
      if (as_json)
        std::cout << nlohmann::json{{"probe", "peak_f32x4"}, {"threads", threads}, {"gflops", f32x4},
                                    {"runtime", build_info().variant}}
                         .dump()
                  << std::endl;
      else
        std::printf("peak: independent f32x4 multiply-adds on %d thread(s): %.1f GFLOP/s\n", threads, f32x4);
      peaks.push_back(f32x4);
      const VectorCeiling widest = peak_widest_gflops(threads, std::min(1.0, seconds));
      if (widest.lanes == 4 && !widest.fused) continue;
      peaks.back() = widest.gflops;
      if (as_json)
        std::cout << nlohmann::json{{"probe", "peak_widest"}, {"threads", threads}, {"gflops", widest.gflops},
                                    {"lanes", widest.lanes}, {"fused", widest.fused}, {"runtime", build_info().variant}}
                         .dump()
                  << std::endl;
      else
        std::printf("peak: independent %d-float %s on %d thread(s): %.1f GFLOP/s\n", widest.lanes,
                    widest.fused ? "fused multiply-adds" : "multiply-adds", threads, widest.gflops);
    }
    if (!as_json)
      std::printf("%-10s %-6s %6s %8s %14s %22s %9s %8s\n", "model", "kind", "batch", "threads", "samples/s*", "range",
                  "GFLOP/s", "of peak");
    std::vector<Case> chosen;
    for (const Case& bench : cases)
      if (only.empty() || named(bench)) chosen.push_back(bench);
    for (const Case& bench : named_cases)
      if (named(bench)) chosen.push_back(bench);
    for (const Case& bench : chosen) {
      for (std::size_t t = 0; t < thread_counts.size(); ++t) {
        const int threads = thread_counts[t];
        const Result r = bench.model == "char-lstm" ? run_text_case(bench, threads, seconds, repeats, args.has("profile"))
                                                   : run_case(bench, threads, seconds, repeats, args.has("profile"));
        if (as_json) {
          std::cout << nlohmann::json{{"model", r.bench.model}, {"kind", r.bench.kind}, {"batch", r.bench.batch},
                                      {"threads", r.threads},   {"samples_per_second", r.median},
                                      {"min", r.low},           {"max", r.high},
                                      {"gflops", r.gflops},     {"runtime", build_info().variant},
                                      {"unit", r.bench.model == "char-lstm" ? "characters" : "samples"}}
                           .dump()
                    << std::endl;
        } else {
          std::printf("%-10s %-6s %6d %8d %14.0f %10.0f – %-9.0f %9.1f %7.0f%%\n", r.bench.model.c_str(), r.bench.kind.c_str(),
                      r.bench.batch, r.threads, r.median, r.low, r.high, r.gflops, 100.0 * r.gflops / peaks[t]);
          std::fflush(stdout);
        }
      }
    }
    if (!as_json) std::printf("* characters per second for char-lstm (T 64 × N 32 characters per step)\n");
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "profundo-bench: error: %s\n", error.what());
    return 1;
  }
}
