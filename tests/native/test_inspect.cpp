// "Inside the network": histograms, every layer's output for one image, parameter and gradient
// histograms, convolution filters, and the augmentation preview.
#include "inspect/augment_preview.hpp"
#include "inspect/histogram.hpp"
#include "inspect/layer_outputs.hpp"
#include "inspect/parameter_histograms.hpp"
#include "train/classifier_session.hpp"
#include "support/synthetic_images.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numeric>

using namespace profundo;

namespace {

LayerSpec layer(const std::string& type) {
  LayerSpec spec;
  spec.type = type;
  return spec;
}

// [1, 6, 6] -> conv 3x3 (3 filters) -> relu -> maxpool 2 -> flatten -> dense 4
ModelSpec small_cnn() {
  LayerSpec conv = layer("conv2d");
  conv.filters = 3;
  conv.kernel_size = 3;
  LayerSpec pool = layer("maxpool2d");
  pool.kernel_size = 2;
  LayerSpec dense = layer("dense");
  dense.units = 4;
  return {{1, 6, 6}, {conv, layer("relu"), pool, layer("flatten"), dense}, "softmax_cross_entropy"};
}

int sum(const std::vector<int>& counts) { return std::accumulate(counts.begin(), counts.end(), 0); }

}  // namespace

TEST_CASE("a histogram bins finite values over their range and counts NaN and infinity apart", "[inspect][histogram]") {
  SECTION("equal-width bins from the minimum to the maximum, the maximum in the last bin") {
    const std::vector<float> values = {0.0f, 1.0f, 2.0f, 3.0f, 3.0f, 1.5f};
    const Histogram h = make_histogram(values.data(), values.size(), 4);
    CHECK(h.low == 0.0f);
    CHECK(h.high == 3.0f);
    // width 0.75: [0, .75) [.75, 1.5) [1.5, 2.25) [2.25, 3]
    CHECK(h.counts == std::vector<int>{1, 1, 2, 2});
    CHECK(h.finite == 6);
    CHECK(h.non_finite == 0);
  }
  SECTION("NaN and infinities are counted apart and do not stretch the range") {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const std::vector<float> values = {nan, -1.0f, inf, 1.0f, -inf, 0.0f};
    const Histogram h = make_histogram(values.data(), values.size(), 2);
    CHECK(h.low == -1.0f);
    CHECK(h.high == 1.0f);
    CHECK(h.counts == std::vector<int>{1, 2});
    CHECK(h.non_finite == 3);
    CHECK(h.finite + h.non_finite == 6);
  }
  SECTION("a constant tensor falls in the middle bin of [v - 0.5, v + 0.5]") {
    const std::vector<float> zeros(10, 0.0f);
    const Histogram h = make_histogram(zeros.data(), zeros.size(), 5);
    CHECK(h.low == -0.5f);
    CHECK(h.high == 0.5f);
    CHECK(h.counts == std::vector<int>{0, 0, 10, 0, 0});
  }
  SECTION("nothing finite gives empty bins over [0, 1]") {
    const std::vector<float> nans(3, std::numeric_limits<float>::quiet_NaN());
    const Histogram h = make_histogram(nans.data(), nans.size(), 3);
    CHECK(sum(h.counts) == 0);
    CHECK(h.non_finite == 3);
    CHECK(h.low == 0.0f);
    CHECK(h.high == 1.0f);
  }
  SECTION("extreme ranges do not overflow") {
    const std::vector<float> values = {-3e38f, 3e38f, 0.0f};
    const Histogram h = make_histogram(values.data(), values.size(), 2);
    CHECK(h.counts == std::vector<int>{1, 2});
  }
  SECTION("random values: the bins sum to the element count") {
    Random rng(3);
    std::vector<float> values(1000);
    for (float& v : values) v = rng.normal(0.0f, 1.0f);
    const Histogram h = make_histogram(values.data(), values.size(), 30);
    CHECK(h.counts.size() == 30);
    CHECK(sum(h.counts) == 1000);
  }
  SECTION("at least one bin") {
    const float one = 1.0f;
    CHECK_THROWS_WITH(make_histogram(&one, 1, 0), Catch::Contains("bins must be at least 1, got 0"));
  }
}

TEST_CASE("layer outputs are every layer's output of the eval forward pass", "[inspect]") {
  Model model(small_cnn());
  model.initialize(7);
  ThreadPool pool(1);
  Random rng(11);
  Tensor x({1, 1, 6, 6});
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(-1.0f, 1.0f);

  const std::vector<LayerOutput> outputs = layer_outputs(model, x, pool);
  REQUIRE(outputs.size() == 5);
  const std::vector<std::string> kinds = {"conv2d", "relu", "maxpool2d", "flatten", "dense"};
  const std::vector<Shape> shapes = {{3, 4, 4}, {3, 4, 4}, {3, 2, 2}, {12}, {4}};
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    CHECK(outputs[i].layer == static_cast<int>(i));
    CHECK(outputs[i].kind == kinds[i]);
    CHECK(outputs[i].shape == shapes[i]);
    CHECK(outputs[i].values.size() == element_count(shapes[i]));
  }
  // Each output is the next layer's input: ReLU of the convolution, max of 2x2 windows of that.
  for (std::size_t i = 0; i < outputs[0].values.size(); ++i)
    CHECK(outputs[1].values[i] == std::max(0.0f, outputs[0].values[i]));
  const auto& relu = outputs[1].values;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 2; ++r)
      for (int q = 0; q < 2; ++q) {
        const auto at = [&](int rr, int qq) { return relu[static_cast<std::size_t>(c * 16 + rr * 4 + qq)]; };
        const float window = std::max({at(2 * r, 2 * q), at(2 * r, 2 * q + 1), at(2 * r + 1, 2 * q), at(2 * r + 1, 2 * q + 1)});
        CHECK(outputs[2].values[static_cast<std::size_t>(c * 4 + r * 2 + q)] == window);
      }
  CHECK(outputs[3].values == outputs[2].values);

  // The last one is the logits of a plain forward pass.
  RunContext context{pool, Mode::eval, nullptr};
  const Tensor& logits = model.forward(x, context);
  REQUIRE(logits.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(outputs[4].values[i] == logits[i]);

  Tensor two({2, 1, 6, 6});
  CHECK_THROWS_WITH(layer_outputs(model, two, pool), Catch::Contains("expected one sample [1, 1, 6, 6]"));
}

TEST_CASE("a session's layer outputs for pixels end in the logits that predict turns into probabilities", "[inspect]") {
  ModelSpec spec = small_cnn();
  spec.input = {1, 4, 4};
  spec.layers[2].kernel_size = 1;  // 2x2 maps after a 3x3 convolution: no pooling needed
  auto set = testing::quadrant_images(60, 4);
  TrainConfig config;
  config.batch_size = 10;
  ClassifierSession session(spec, config, testing::dev_split(10, "standardize"), set, nullptr, 1);
  for (int i = 0; i < 5; ++i) session.train_next_batch();

  const std::vector<std::uint8_t> pixels(set->pixels.begin() + 16, set->pixels.begin() + 32);
  const auto outputs = layer_outputs(session, pixels);
  REQUIRE(outputs.size() == 5);
  const std::vector<float>& logits = outputs.back().values;
  const std::vector<float> probabilities = session.predict_pixels(pixels);
  REQUIRE(probabilities.size() == 4);
  const float top = *std::max_element(logits.begin(), logits.end());
  float total = 0.0f;
  for (float z : logits) total += std::exp(z - top);
  for (std::size_t k = 0; k < 4; ++k) CHECK(std::exp(logits[k] - top) / total == Approx(probabilities[k]).margin(1e-6));

  CHECK_THROWS_WITH(layer_outputs(session, std::vector<std::uint8_t>(15)), Catch::Contains("expected 16 pixels, got 15"));
}

TEST_CASE("parameter histograms cover every parameter and show the last step's gradients", "[inspect]") {
  ModelSpec spec = small_cnn();
  spec.input = {1, 4, 4};
  spec.layers[2].kernel_size = 1;
  auto set = testing::quadrant_images(60, 4);
  TrainConfig config;
  config.batch_size = 10;
  ClassifierSession session(spec, config, testing::dev_split(10), set, nullptr, 1);
  Model& model = session.model();

  const auto before = parameter_histograms(model, 16);
  REQUIRE(before.size() == 4);  // conv W, b; dense W, b
  CHECK(before[0].layer == 0);
  CHECK(before[0].layer_kind == "conv2d");
  CHECK(before[0].name == "W");
  CHECK(before[0].shape == Shape{3, 1, 3, 3});
  CHECK(before[3].layer == 4);
  CHECK(before[3].layer_kind == "dense");
  CHECK(before[3].name == "b");
  for (const auto& p : before) {
    CHECK(sum(p.values.counts) == static_cast<int>(element_count(p.shape)));
    CHECK(p.values.counts.size() == 16);
    // No step yet: every gradient is zero, one constant bin.
    CHECK(p.gradients.low == -0.5f);
    CHECK(p.gradients.counts[8] == static_cast<int>(element_count(p.shape)));
  }

  session.train_next_batch();
  const auto after = parameter_histograms(model, 16);
  for (std::size_t i = 0; i < after.size(); ++i) {
    const Parameter& parameter = model.parameters()[i];
    CHECK(sum(after[i].gradients.counts) == static_cast<int>(parameter.grad->size()));
    const Histogram expected = make_histogram(parameter.grad->data(), parameter.grad->size(), 16);
    CHECK(after[i].gradients.counts == expected.counts);
    CHECK(after[i].gradients.low == expected.low);
    CHECK(after[i].gradients.high == expected.high);
  }
  // The weights' gradients are no longer all zero.
  CHECK(after[0].gradients.low < after[0].gradients.high);
  CHECK(after[0].gradients.low != -0.5f);
  CHECK(after[2].gradients.low < 0.0f);
  CHECK(after[2].gradients.high > 0.0f);
}

TEST_CASE("conv filters are the conv2d weights with their shape", "[inspect]") {
  Model model(small_cnn());
  model.initialize(5);
  const auto filters = conv_filters(model);
  REQUIRE(filters.size() == 1);
  CHECK(filters[0].layer == 0);
  CHECK(filters[0].shape == Shape{3, 1, 3, 3});
  CHECK(filters[0].weights == model.parameter_values(0));

  Model no_conv({{1, 2, 2}, {layer("flatten")}, "mean_squared_error"});
  CHECK(conv_filters(no_conv).empty());
}

TEST_CASE("the augmentation preview is seeded and off means unchanged", "[inspect][augmentation]") {
  auto set = testing::quadrant_images(3, 2, 8);
  const std::vector<std::uint8_t>& images = set->pixels;
  CHECK(augment_preview(images, 3, 1, 8, 8, AugmentConfig{}, 1) == images);

  AugmentConfig config;
  config.max_rotation = 20;
  config.max_shift = 2;
  const auto a = augment_preview(images, 3, 1, 8, 8, config, 1);
  CHECK(a.size() == images.size());
  CHECK(a == augment_preview(images, 3, 1, 8, 8, config, 1));
  CHECK(a != augment_preview(images, 3, 1, 8, 8, config, 2));
  CHECK(a != images);

  config.max_zoom = 1.5f;
  CHECK_THROWS_WITH(augment_preview(images, 3, 1, 8, 8, config, 1), Catch::Contains("max_zoom"));
  CHECK_THROWS_WITH(augment_preview(images, 4, 1, 8, 8, AugmentConfig{}, 1),
                    Catch::Contains("expected 256 bytes for 4 images, got 192"));
}
