#include "model/presets.hpp"
#include "text/text_model.hpp"
#include "train/classifier_session.hpp"
#include "train/trainer.hpp"
#include "support/gradcheck.hpp"
#include "support/synthetic_images.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <cstring>
#include <tuple>

using namespace profundo;

namespace {

LayerSpec layer(const std::string& type, int units = 0) {
  LayerSpec spec;
  spec.type = type;
  spec.units = units;
  return spec;
}

// Two Gaussian blobs in 2-D, labelled 0 and 1: logistic regression's home ground.
void blobs(int n, Tensor& x, Tensor& y, std::uint32_t seed) {
  Random rng(seed);
  x.resize({n, 2});
  y.resize({n, 1});
  for (int i = 0; i < n; ++i) {
    const float label = static_cast<float>(i % 2);
    x[2 * i] = rng.normal(label * 3.0f - 1.5f, 1.0f);
    x[2 * i + 1] = rng.normal(label * 2.0f - 1.0f, 1.0f);
    y[i] = label;
  }
}

std::shared_ptr<ImageSet> synthetic_digits(int count, std::uint32_t seed) { return testing::quadrant_images(count, seed); }

int untrained_label(int count, std::uint32_t seed, int index) { return synthetic_digits(count, seed)->labels[index]; }
std::vector<std::uint8_t> raw_pixels(int count, std::uint32_t seed, int index) {
  const auto set = synthetic_digits(count, seed);
  return {set->pixels.begin() + index * 16, set->pixels.begin() + (index + 1) * 16};
}

ModelSpec small_classifier() {
  return {{1, 4, 4}, {layer("flatten"), layer("dense", 8), layer("relu"), layer("dense", 4)}, "softmax_cross_entropy"};
}

}  // namespace

TEST_CASE("logistic regression learns to separate two blobs", "[trainer]") {
  ThreadPool pool(1);
  Model model({{2}, {layer("dense", 1)}, "sigmoid_binary_cross_entropy"});
  model.initialize(1);
  TrainConfig config;
  config.optimizer.kind = "sgd";
  config.optimizer.learning_rate = 0.5f;
  Trainer trainer(model, config, pool);
  Tensor x, y;
  blobs(200, x, y, 2);
  float first = 0, last = 0;
  for (int step = 0; step < 200; ++step) {
    const float loss = trainer.step(x, y).loss;
    if (step == 0) first = loss;
    last = loss;
  }
  CHECK(last < 0.5f * first);
  RunContext context{pool, Mode::eval, nullptr};
  const Tensor& z = model.forward(x, context);
  int correct = 0;
  for (int i = 0; i < 200; ++i) correct += (z[i] > 0) == (y[i] > 0.5f);
  CHECK(correct >= 180);
}

TEST_CASE("the same seed gives bit-identical weights after 100 steps", "[trainer][determinism]") {
  const auto run = [](std::uint32_t seed, int threads) {
    TrainConfig config;
    config.seed = seed;
    config.batch_size = 16;
    config.epochs = 10;
    DataConfig data;
    data.dev_size = 20;
    ClassifierSession session(small_classifier(), config, data, synthetic_digits(180, 5), nullptr, threads);
    for (int i = 0; i < 100; ++i) session.train_next_batch();
    std::vector<float> weights;
    for (auto& p : session.model().parameters()) weights.insert(weights.end(), p.value->data(), p.value->data() + p.value->size());
    return weights;
  };
  const auto a = run(3, 1), b = run(3, 1), c = run(4, 1);
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(a.data(), c.data(), a.size() * sizeof(float)) != 0);
  const int threads = ThreadPool::threads_supported() ? 2 : 1;
  const auto d = run(3, threads), e = run(3, threads);
  CHECK(std::memcmp(d.data(), e.data(), d.size() * sizeof(float)) == 0);
}

TEST_CASE("a diverging run stops with the step and advice and leaves the weights untouched", "[trainer][validation]") {
  ThreadPool pool(1);
  Model model({{2}, {layer("dense", 4), layer("relu"), layer("dense", 1)}, "mean_squared_error"});
  model.initialize(1);
  TrainConfig config;
  config.optimizer.kind = "sgd";
  config.optimizer.learning_rate = 1e4f;
  Trainer trainer(model, config, pool);
  Tensor x, y;
  blobs(32, x, y, 3);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] *= 1000.0f;
  bool diverged = false;
  std::vector<float> before;
  for (int step = 0; step < 50 && !diverged; ++step) {
    before.clear();
    for (auto& p : model.parameters()) before.insert(before.end(), p.value->data(), p.value->data() + p.value->size());
    try {
      trainer.step(x, y);
    } catch (const TrainingDiverged& error) {
      diverged = true;
      const std::string message = error.what();
      CHECK_THAT(message, Catch::Contains("step " + std::to_string(error.step())));
      CHECK_THAT(message, Catch::Contains("smaller learning rate"));
    }
  }
  REQUIRE(diverged);
  std::vector<float> after;
  for (auto& p : model.parameters()) after.insert(after.end(), p.value->data(), p.value->data() + p.value->size());
  CHECK(std::memcmp(before.data(), after.data(), before.size() * sizeof(float)) == 0);
}

namespace {

// One dense unit with W = [2, −1], b = 3, on four zero inputs with target 3: the data gradient of W
// vanishes and the output equals the target (data loss 0, bias gradient 0), so only L2 moves W.
// Returns the weights and bias after one step under `config` (λ = 0.8, m = 4).
struct L2Step {
  StepResult result;
  float w0, w1, b;
};
L2Step one_l2_step(TrainConfig config) {
  ThreadPool pool(1);
  Model model({{2}, {layer("dense", 1)}, "mean_squared_error"});
  model.initialize(1);
  auto& w = *model.parameters()[0].value;
  auto& b = *model.parameters()[1].value;
  w[0] = 2.0f;
  w[1] = -1.0f;
  b[0] = 3.0f;
  config.optimizer.learning_rate = 0.1f;
  config.l2 = 0.8f;
  Trainer trainer(model, config, pool);
  const StepResult result = trainer.step(Tensor({4, 2}), Tensor({4, 1}, 3.0f));
  return {result, w[0], w[1], b[0]};
}

}  // namespace

TEST_CASE("L2 adds λ/(2m)‖W‖² to the cost and λ/m·W to the weight gradient only", "[trainer][golden]") {
  TrainConfig config;
  config.optimizer.kind = "sgd";
  const L2Step step = one_l2_step(config);
  CHECK(step.result.data_loss == Approx(0.0f));
  CHECK(step.result.loss == Approx(0.8 / (2 * 4) * (4.0 + 1.0)));  // λ/(2m)‖W‖² = 0.1 · 5 = 0.5
  CHECK(step.w0 == Approx(2.0f - 0.1f * 0.8f / 4 * 2.0f));        // W −= α (λ/m) W
  CHECK(step.w1 == Approx(-1.0f + 0.1f * 0.8f / 4 * 1.0f));
  CHECK(step.b == Approx(3.0f));  // biases are not regularised
}

TEST_CASE("decoupled L2 decays the weights outside the optimiser: Adam no longer rescales it", "[trainer][golden]") {
  for (const bool decoupled : {false, true}) {
    TrainConfig config;
    config.optimizer.kind = "adam";
    config.l2_decoupled = decoupled;
    const L2Step step = one_l2_step(config);
    CHECK(step.result.loss == Approx(0.5));  // the same cost J either way
    if (decoupled) {
      CHECK(step.w0 == Approx(2.0f * (1.0f - 0.1f * 0.8f / 4)));  // W ← (1 − α λ/m) W; Adam sees no gradient
      CHECK(step.w1 == Approx(-1.0f * (1.0f - 0.1f * 0.8f / 4)));
    } else {
      // Adam's first step is about α·sign(g) whatever the size of g: both weights move by 0.1.
      CHECK(step.w0 == Approx(2.0f - 0.1f).margin(1e-5));
      CHECK(step.w1 == Approx(-1.0f + 0.1f).margin(1e-5));
    }
    CHECK(step.b == Approx(3.0f));
  }
}

TEST_CASE("with plain gradient descent, decoupled and coupled L2 are the same update", "[trainer]") {
  const auto set = synthetic_digits(100, 3);
  std::vector<std::vector<float>> weights;
  for (const bool decoupled : {false, true}) {
    TrainConfig config;
    config.optimizer.kind = "sgd";
    config.optimizer.learning_rate = 0.1f;
    config.batch_size = 16;
    config.epochs = 3;
    config.l2 = 2.0f;
    config.l2_decoupled = decoupled;
    DataConfig data;
    data.dev_size = 10;
    ClassifierSession session(small_classifier(), config, data, set, nullptr, 1);
    while (!session.finished()) session.train_next_batch();
    std::vector<float> values;
    for (auto& p : session.model().parameters()) values.insert(values.end(), p.value->data(), p.value->data() + p.value->size());
    weights.push_back(values);
  }
  REQUIRE(weights[0].size() == weights[1].size());
  float largest = 0.0f;
  for (std::size_t i = 0; i < weights[0].size(); ++i) largest = std::max(largest, std::abs(weights[0][i] - weights[1][i]));
  CHECK(largest < 1e-5f);  // equal up to the order of float operations
}

TEST_CASE("batch and stochastic and mini-batch gradient descent differ only in the batch size", "[trainer]") {
  const auto set = synthetic_digits(100, 8);
  for (const auto& [batch_size, expected_batches] : std::vector<std::pair<int, int>>{{1, 90}, {90, 1}, {1000, 1}, {32, 3}, {89, 1}, {44, 3}}) {
    TrainConfig config;
    config.batch_size = batch_size;
    config.epochs = 2;
    DataConfig data;
    data.dev_size = 10;
    ClassifierSession session(small_classifier(), config, data, set, nullptr, 1);
    CHECK(session.batches_per_epoch() == expected_batches);
    int batches = 0, samples = 0;
    BatchReport report;
    do {
      report = session.train_next_batch();
      ++batches;
      samples += report.samples;
    } while (!report.epoch_finished);
    CHECK(batches == expected_batches);
    CHECK(samples == 90);
  }
}

TEST_CASE("a classifier session learns and evaluates with a confusion matrix", "[trainer]") {
  TrainConfig config;
  config.optimizer.learning_rate = 0.01f;
  config.batch_size = 16;
  config.epochs = 8;
  DataConfig data;
  data.dev_size = 100;
  const auto set = synthetic_digits(600, 9);
  ClassifierSession session(small_classifier(), config, data, set, synthetic_digits(200, 10),
                            ThreadPool::threads_supported() ? 2 : 1);
  while (!session.finished()) session.train_next_batch();
  const Evaluation dev = session.evaluate(Split::dev);
  const Evaluation test = session.evaluate(Split::test);
  CHECK(dev.count == 100);
  CHECK(test.count == 200);
  CHECK(test.accuracy > 0.9f);
  int total = 0, diagonal = 0;
  for (int t = 0; t < 4; ++t)
    for (int p = 0; p < 4; ++p) {
      total += test.confusion[t * 4 + p];
      if (t == p) diagonal += test.confusion[t * 4 + p];
    }
  CHECK(total == 200);
  CHECK(static_cast<float>(diagonal) / 200 == Approx(test.accuracy));
  REQUIRE(test.per_class_accuracy.size() == 4);
  for (int c = 0; c < 4; ++c) {
    int row = 0;
    for (int p = 0; p < 4; ++p) row += test.confusion[c * 4 + p];
    CHECK(test.per_class_accuracy[c] == Approx(static_cast<float>(test.confusion[c * 4 + c]) / row));
  }
  CHECK(test.mistakes.empty());  // none were asked for
  const Evaluation part = session.evaluate(Split::train, 0, 30);
  CHECK(part.count == 30);
  int part_total = 0;
  for (int n : part.confusion) part_total += n;
  CHECK(part_total == 30);
  CHECK(session.evaluate(Split::dev, 0, 100000).count == 100);

  // Force mistakes: an untrained session gets most wrong; the kept ones are the most confident.
  ClassifierSession untrained(small_classifier(), config, data, set, synthetic_digits(200, 10), 1);
  const Evaluation raw = untrained.evaluate(Split::test, 5);
  const int wrong = raw.count - static_cast<int>(std::lround(raw.accuracy * raw.count));
  REQUIRE(wrong >= 5);
  REQUIRE(raw.mistakes.size() == 5);
  for (std::size_t i = 0; i < raw.mistakes.size(); ++i) {
    const Mistake& m = raw.mistakes[i];
    CHECK(m.label != m.predicted);
    CHECK(m.label == untrained_label(200, 10, m.index));
    if (i > 0) CHECK(raw.mistakes[i - 1].confidence >= m.confidence);
    const auto probabilities = untrained.predict_pixels(
        std::vector<std::uint8_t>(raw_pixels(200, 10, m.index)));
    CHECK(*std::max_element(probabilities.begin(), probabilities.end()) == Approx(m.confidence));
  }
  const auto probabilities = session.predict_pixels(std::vector<std::uint8_t>(set->pixels.begin(), set->pixels.begin() + 16));
  REQUIRE(probabilities.size() == 4);
  float sum = 0;
  for (float p : probabilities) sum += p;
  CHECK(sum == Approx(1.0f));
}


// A wide model's split is evaluated in several chunks (evaluation_chunk: the layers' outputs kept
// under 64 MB); the result must be the one image-by-image predictions give.
TEST_CASE("a wide model's evaluation in chunks equals its predictions image by image", "[trainer]") {
  const auto set = testing::quadrant_images(900, 5, 16);
  LayerSpec conv = layer("conv2d");
  conv.filters = 64;
  conv.kernel_size = 3;
  conv.padding = "same";
  const ModelSpec wide{{1, 16, 16}, {conv, layer("relu"), conv, layer("relu"), layer("flatten"), layer("dense", 4)}, "softmax_cross_entropy"};
  TrainConfig config;
  config.batch_size = 32;
  DataConfig data;
  data.dev_size = 700;
  ClassifierSession session(wide, config, data, set, nullptr, testing::max_test_threads());
  REQUIRE(evaluation_chunk(session.model()) < data.dev_size / 2);  // three chunks at least
  CHECK(evaluation_chunk(Model(small_classifier())) == 1000);
  for (int i = 0; i < 5; ++i) session.train_next_batch();
  const Evaluation chunked = session.evaluate(Split::dev);
  std::vector<int> confusion(16, 0);
  double loss = 0.0;
  const std::size_t pixels = set->pixels_per_image();
  for (const int index : session.split_indices(Split::dev)) {
    const auto begin = set->pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(index) * pixels);
    const std::vector<float> p = session.predict_pixels({begin, begin + static_cast<std::ptrdiff_t>(pixels)});
    const int truth = set->labels[static_cast<std::size_t>(index)];
    const int predicted = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
    ++confusion[static_cast<std::size_t>(truth * 4 + predicted)];
    loss -= std::log(static_cast<double>(p[static_cast<std::size_t>(truth)]));
  }
  CHECK(chunked.confusion == confusion);
  CHECK(chunked.loss == Approx(loss / data.dev_size).epsilon(1e-4));
}

// evaluate_into() fills a kept Evaluation (no allocation once warmed up): it must replace every field,
// whatever the Evaluation held, and evaluating between batches (it borrows the mini-batch buffers)
// must not change training.
TEST_CASE("evaluating into a kept result and between batches changes nothing", "[trainer]") {
  TrainConfig config;
  config.optimizer.learning_rate = 0.01f;
  config.batch_size = 16;
  config.epochs = 2;
  DataConfig data;
  data.dev_size = 100;
  const auto set = synthetic_digits(300, 9);
  ClassifierSession evaluated(small_classifier(), config, data, set, synthetic_digits(50, 10), 1);
  ClassifierSession plain(small_classifier(), config, data, set, synthetic_digits(50, 10), 1);
  Evaluation kept;
  while (!plain.finished()) {
    const BatchReport with_evaluation = evaluated.train_next_batch();
    evaluated.evaluate_into(kept, Split::dev, 3);
    CHECK(with_evaluation.loss == plain.train_next_batch().loss);
  }
  for (const auto& [split, keep, max_samples] : {std::tuple{Split::dev, 0, 0}, std::tuple{Split::train, 4, 30},
                                                 std::tuple{Split::test, 2, 0}}) {
    kept = {7, 9.0f, 0.5f, 3, std::vector<int>(9, 1), {0.5f, 0.5f, 0.5f}, std::vector<Mistake>(6)};  // stale contents
    evaluated.evaluate_into(kept, split, keep, max_samples);
    const Evaluation fresh = plain.evaluate(split, keep, max_samples);
    CHECK(kept.count == fresh.count);
    CHECK(kept.loss == fresh.loss);
    CHECK(kept.accuracy == fresh.accuracy);
    CHECK(kept.classes == fresh.classes);
    CHECK(kept.confusion == fresh.confusion);
    CHECK(kept.per_class_accuracy == fresh.per_class_accuracy);
    REQUIRE(kept.mistakes.size() == fresh.mistakes.size());
    for (std::size_t m = 0; m < kept.mistakes.size(); ++m) {
      CHECK(kept.mistakes[m].index == fresh.mistakes[m].index);
      CHECK(kept.mistakes[m].confidence == fresh.mistakes[m].confidence);
    }
  }
}
TEST_CASE("invalid training settings are rejected when the session is built", "[trainer][validation]") {
  const auto set = synthetic_digits(50, 1);
  const auto build = [&](TrainConfig config, DataConfig data = testing::dev_split(10)) {
    return ClassifierSession(small_classifier(), config, data, set, nullptr, 1);
  };
  TrainConfig config;
  config.batch_size = 0;
  CHECK_THROWS_WITH(build(config), Catch::Contains("batch_size") && Catch::Contains("0"));
  config = TrainConfig{};
  config.epochs = 0;
  CHECK_THROWS_WITH(build(config), Catch::Contains("epochs"));
  config = TrainConfig{};
  config.l2 = -0.1f;
  CHECK_THROWS_WITH(build(config), Catch::Contains("l2") && Catch::Contains("-0.1"));
  config = TrainConfig{};
  config.optimizer.learning_rate = -0.01f;
  CHECK_THROWS_WITH(build(config), Catch::Contains("learning_rate") && Catch::Contains("-0.01"));
  CHECK_THROWS_WITH(build(TrainConfig{}, testing::dev_split(50)), Catch::Contains("dev_size") && Catch::Contains("50"));
  CHECK_THROWS_WITH(build(TrainConfig{}, testing::dev_split(10, "whiten")), Catch::Contains("whiten"));

  ModelSpec wrong_outputs = small_classifier();
  wrong_outputs.layers.back().units = 10;
  CHECK_THROWS_WITH(ClassifierSession(wrong_outputs, TrainConfig{}, testing::dev_split(10), set, nullptr, 1),
                    Catch::Contains("10 outputs") && Catch::Contains("4 classes"));
  ModelSpec wrong_input = small_classifier();
  wrong_input.input = {784};
  CHECK_THROWS_WITH(ClassifierSession(wrong_input, TrainConfig{}, testing::dev_split(10), set, nullptr, 1),
                    Catch::Contains("[784]") && Catch::Contains("[1, 4, 4]"));
}

TEST_CASE("a batch of the wrong shape is rejected and never read out of bounds", "[trainer][validation]") {
  ThreadPool pool(1);
  Model model({{3}, {layer("dense", 2)}, "mean_squared_error"});
  model.initialize(1);
  Trainer trainer(model, TrainConfig{}, pool);
  CHECK_THROWS_WITH(trainer.step(Tensor({4, 5}), Tensor({4, 2})), Catch::Contains("input batch") && Catch::Contains("[4, 5]"));
  CHECK_THROWS_WITH(trainer.step(Tensor({4, 3}), Tensor({4, 3})), Catch::Contains("target batch"));
}

namespace {

// A tiny character model (V 5, E 3, one LSTM of 4) and a [T 3, N 2] chunk of indices.
struct TextCase {
  Model model;
  Tensor x{{3, 2}}, y{{3, 2}};
  TextCase() : model(text_model_spec(tiny_text_config(), 5)) {
    model.initialize(3);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<float>(i % 5);
      y[i] = static_cast<float>((i + 1) % 5);
    }
  }
  static TextConfig tiny_text_config() {
    TextConfig config;
    config.embedding_size = 3;
    config.hidden_size = 4;
    return config;
  }
};

std::vector<float> all_values(Model& model) {
  std::vector<float> values;
  for (auto& p : model.parameters()) values.insert(values.end(), p.value->data(), p.value->data() + p.value->size());
  return values;
}

// ‖after − before‖ of one step.
double step_length(const std::vector<float>& before, const std::vector<float>& after) {
  double squares = 0.0;
  for (std::size_t i = 0; i < before.size(); ++i) squares += std::pow(static_cast<double>(after[i]) - before[i], 2);
  return std::sqrt(squares);
}

}  // namespace

// With SGD, θ' = θ − α g; clipped, ‖g‖ = clip_norm, so the step has length α · clip_norm exactly.
TEST_CASE("clipping by global norm in one Trainer step, image and text models", "[trainer][clipping]") {
  ThreadPool pool(1);
  TrainConfig config;
  config.optimizer.kind = "sgd";
  config.optimizer.learning_rate = 0.1f;
  config.clip_norm = 1e-3f;
  SECTION("an image model") {
    Model model(small_classifier());
    model.initialize(2);
    Trainer trainer(model, config, pool);
    const auto set = synthetic_digits(8, 3);
    Tensor x({8, 1, 4, 4}), y({8, 4});
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = set->pixels[i] / 255.0f;
    for (int i = 0; i < 8; ++i) y[static_cast<std::size_t>(i * 4 + set->labels[static_cast<std::size_t>(i)])] = 1.0f;
    const std::vector<float> before = all_values(model);
    const StepResult result = trainer.step(x, y);
    CHECK(result.clipped);
    CHECK(result.grad_norm > 1e-3f);
    CHECK(step_length(before, all_values(model)) == Approx(0.1 * 1e-3).epsilon(1e-3));
    trainer.step(x, y);  // off: the step is as long as the gradient
  }
  SECTION("a text model") {
    TextCase text;
    Trainer trainer(text.model, config, pool);
    const std::vector<float> before = all_values(text.model);
    const StepResult result = trainer.step(text.x, text.y);
    CHECK(result.clipped);
    CHECK(step_length(before, all_values(text.model)) == Approx(0.1 * 1e-3).epsilon(1e-3));
  }
  SECTION("off, the step is α ‖g‖ and nothing is clipped") {
    TextCase text;
    config.clip_norm = 0.0f;
    Trainer trainer(text.model, config, pool);
    const std::vector<float> before = all_values(text.model);
    const StepResult result = trainer.step(text.x, text.y);
    CHECK_FALSE(result.clipped);
    CHECK(step_length(before, all_values(text.model)) == Approx(0.1 * result.grad_norm).epsilon(1e-3));
  }
}

TEST_CASE("L2 and the schedule apply to a text model: J adds λ/(2m)‖W‖² with m = T·N", "[trainer][text]") {
  ThreadPool pool(1);
  TextCase text;
  TrainConfig config;
  config.optimizer.kind = "sgd";
  config.optimizer.learning_rate = 0.5f;
  config.schedule.kind = "inverse_time";
  config.schedule.c1 = 1.0f;
  config.schedule.c2 = 4.0f;
  config.l2 = 0.3f;
  Trainer trainer(text.model, config, pool);
  double squares = 0.0;  // weights only: embedding, W_x, W_h, the head's W (not the biases)
  for (auto& p : text.model.parameters())
    if (p.is_weight) squares += p.value->vector().squaredNorm();
  const StepResult first = trainer.step(text.x, text.y);
  CHECK(first.loss - first.data_loss == Approx(0.3 / (2.0 * 6) * squares).epsilon(1e-4));
  CHECK(first.learning_rate == Approx(1.0 / 4.0));  // c1/(t + c2), t = 0
  CHECK(trainer.step(text.x, text.y).learning_rate == Approx(1.0 / 5.0));
  CHECK_THROWS_WITH(trainer.step(text.x, Tensor({3, 3})), Catch::Contains("[T, N] class indices"));
}

TEST_CASE("a diverging image or text model stops with the same TrainingDiverged message", "[trainer][validation]") {
  ThreadPool pool(1);
  TrainConfig config;
  const auto message = [&](Model& model, const Tensor& x, const Tensor& y) -> std::string {
    (*model.parameters().back().value)[0] = std::nanf("");  // the output layer's bias
    Trainer trainer(model, config, pool);
    try {
      trainer.step(x, y);
    } catch (const TrainingDiverged& error) {
      CHECK(error.step() == 1);
      return error.what();
    }
    return "no divergence";
  };
  TextCase text;
  Model image(small_classifier());
  image.initialize(1);
  Tensor x({2, 1, 4, 4}, 0.5f), y({2, 4});
  y[0] = y[5] = 1.0f;
  const std::string expected = "the loss became NaN at step 1 with learning rate 0.001; training stopped before "
                               "updating the weights. Try a smaller learning rate or clip the gradients (clip_norm).";
  CHECK(message(image, x, y) == expected);
  CHECK(message(text.model, text.x, text.y) == expected);
}
