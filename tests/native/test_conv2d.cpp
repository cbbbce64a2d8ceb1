#include "layers/activation.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv2d_reference.hpp"
#include "layers/dense.hpp"
#include "layers/flatten.hpp"
#include "layers/pool2d.hpp"
#include "losses/loss.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>

using namespace profundo;
using namespace profundo::testing;

namespace {

struct ConvCase {
  int batch, channels, height, width, filters, kernel, stride;
  Padding padding;
};

std::string describe(const ConvCase& c) {
  std::ostringstream out;
  out << "N=" << c.batch << " C=" << c.channels << " " << c.height << "x" << c.width << " K=" << c.filters
      << " k=" << c.kernel << " s=" << c.stride << " " << to_string(c.padding);
  return out.str();
}

// |a − b| ≤ tolerance · max(1, |b|), element by element.
void require_close(const Tensor& actual, const Tensor& expected, const std::string& what, float tolerance = 1e-4f) {
  REQUIRE(actual.shape() == expected.shape());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO(what << " element " << i << ": " << actual[i] << " vs " << expected[i]);
    REQUIRE(std::fabs(actual[i] - expected[i]) <= tolerance * std::max(1.0f, std::fabs(expected[i])));
  }
}

}  // namespace

TEST_CASE("parse_padding reads valid and same and rejects anything else", "[conv2d][validation]") {
  CHECK(parse_padding("valid") == Padding::valid);
  CHECK(parse_padding("same") == Padding::same);
  CHECK_THROWS_WITH(parse_padding("full"), Catch::Contains("padding") && Catch::Contains("full"));
  CHECK_THROWS_AS(parse_padding("SAME"), std::invalid_argument);
}

TEST_CASE("axis_extent follows TensorFlow's same padding and floor for valid", "[conv2d]") {
  // same: out = ceil(in / s), total = max((out − 1)·s + k − in, 0), before = total / 2
  AxisExtent e = axis_extent(7, 3, 2, Padding::same, "t");
  CHECK(e.output == 4);
  CHECK(e.before == 1);
  CHECK(e.after == 1);
  e = axis_extent(6, 3, 2, Padding::same, "t");
  CHECK(e.output == 3);
  CHECK(e.before == 0);
  CHECK(e.after == 1);
  e = axis_extent(28, 5, 1, Padding::same, "t");
  CHECK(e.output == 28);
  CHECK(e.before == 2);
  CHECK(e.after == 2);
  e = axis_extent(5, 4, 1, Padding::same, "t");
  CHECK(e.output == 5);
  CHECK(e.before == 1);
  CHECK(e.after == 2);
  e = axis_extent(1, 3, 1, Padding::same, "t");  // kernel larger than the input is fine with same
  CHECK(e.output == 1);
  e = axis_extent(7, 3, 2, Padding::valid, "t");
  CHECK(e.output == 3);
  CHECK(e.before == 0);
  e = axis_extent(28, 5, 1, Padding::valid, "t");
  CHECK(e.output == 24);
}

TEST_CASE("conv2d computes a hand-checked cross-correlation with bias", "[conv2d]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  Conv2d conv({1, 3, 3}, 1, 2, 1, Padding::valid, Init::zeros);
  // W = [[1, 2], [3, 4]], b = 0.5;  x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
  for (int i = 0; i < 4; ++i) conv.weight()[static_cast<std::size_t>(i)] = static_cast<float>(i + 1);
  conv.bias()[0] = 0.5f;
  Tensor x({1, 1, 3, 3});
  for (int i = 0; i < 9; ++i) x[static_cast<std::size_t>(i)] = static_cast<float>(i + 1);
  const Tensor& y = conv.forward(x, context);
  REQUIRE(y.shape() == Shape{1, 1, 2, 2});
  CHECK(y[0] == Approx(1 * 1 + 2 * 2 + 3 * 4 + 4 * 5 + 0.5));
  CHECK(y[1] == Approx(1 * 2 + 2 * 3 + 3 * 5 + 4 * 6 + 0.5));
  CHECK(y[2] == Approx(1 * 4 + 2 * 5 + 3 * 7 + 4 * 8 + 0.5));
  CHECK(y[3] == Approx(1 * 5 + 2 * 6 + 3 * 8 + 4 * 9 + 0.5));

  // same padding, 3x3 kernel of ones: each output is the sum of the 3x3 neighbourhood
  Conv2d box({1, 3, 3}, 1, 3, 1, Padding::same, Init::constant, 0.0f);
  box.weight().fill(1.0f);
  box.bias().fill(0.0f);
  const Tensor& z = box.forward(x, context);
  REQUIRE(z.shape() == Shape{1, 1, 3, 3});
  CHECK(z[0] == Approx(1 + 2 + 4 + 5));
  CHECK(z[4] == Approx(45));
  CHECK(z[8] == Approx(5 + 6 + 8 + 9));
}

TEST_CASE("conv2d output shapes for valid and same padding", "[conv2d]") {
  CHECK(Conv2d({1, 28, 28}, 8, 5, 1, Padding::valid).output_shape() == Shape{8, 24, 24});
  CHECK(Conv2d({32, 13, 13}, 64, 3, 1, Padding::valid).output_shape() == Shape{64, 11, 11});
  CHECK(Conv2d({3, 7, 5}, 4, 3, 2, Padding::same).output_shape() == Shape{4, 4, 3});
  CHECK(Conv2d({3, 7, 5}, 4, 3, 2, Padding::valid).output_shape() == Shape{4, 3, 2});
  Conv2d same({2, 6, 6}, 3, 3, 2, Padding::same);
  CHECK(same.output_shape() == Shape{3, 3, 3});
  CHECK(same.pad_top() == 0);
  CHECK(same.pad_left() == 0);
}

TEST_CASE("conv2d uses fan_in = C·k·k and fan_out = K·k·k for initialisation", "[conv2d]") {
  Random rng(5);
  Conv2d conv({4, 9, 9}, 16, 3, 1, Padding::valid, Init::xavier_uniform, 0.25f);
  conv.initialize(rng);
  const double limit = std::sqrt(6.0 / (4 * 9 + 16 * 9));
  double max_abs = 0.0;
  for (std::size_t i = 0; i < conv.weight().size(); ++i) max_abs = std::max(max_abs, std::fabs(double(conv.weight()[i])));
  CHECK(max_abs <= limit);
  CHECK(max_abs > 0.9 * limit);
  for (std::size_t i = 0; i < conv.bias().size(); ++i) CHECK(conv.bias()[i] == 0.25f);
  auto params = conv.parameters();
  REQUIRE(params.size() == 2);
  CHECK(params[0].name == "W");
  CHECK(params[0].is_weight);
  CHECK(params[0].value->shape() == Shape{16, 4, 3, 3});
  CHECK(params[1].name == "b");
  CHECK_FALSE(params[1].is_weight);
  CHECK(params[1].value->shape() == Shape{16});
}

TEST_CASE("conv2d im2col+GEMM agrees with the plain-loops reference", "[conv2d]") {
  const ConvCase cases[] = {
      {3, 2, 7, 5, 3, 3, 1, Padding::valid},  {3, 2, 7, 5, 3, 3, 1, Padding::same},
      {4, 3, 7, 5, 2, 3, 2, Padding::valid},  {4, 3, 7, 5, 2, 3, 2, Padding::same},
      {5, 1, 9, 8, 4, 5, 1, Padding::same},   {2, 4, 6, 6, 5, 2, 2, Padding::same},
      {3, 2, 8, 9, 3, 4, 3, Padding::same},   {2, 3, 3, 4, 2, 5, 1, Padding::same},  // kernel > image
      {9, 2, 20, 15, 3, 3, 1, Padding::same},  // several samples per GEMM, several GEMMs per thread
      {4, 1, 40, 40, 2, 3, 1, Padding::same},  // one sample per GEMM
      {6, 1, 28, 28, 8, 5, 1, Padding::valid}, {5, 8, 12, 12, 16, 5, 1, Padding::valid},
      {1, 2, 5, 7, 3, 3, 2, Padding::same},    // batch smaller than the thread count
      {3, 2, 16, 17, 4, 3, 1, Padding::same},  // fused: eight-pixel panels at the padded borders
      {3, 3, 10, 10, 5, 3, 1, Padding::valid},  // every panel in place, 27 patch rows: a last tile of 3
      {2, 1, 11, 13, 3, 3, 1, Padding::valid},  // direct dW: 8 output columns as vectors, 3 one by one
      {2, 2, 6, 9, 3, 1, 1, Padding::valid},    // direct dW with each kernel size it is compiled for
      {2, 1, 7, 10, 4, 2, 1, Padding::valid},   {3, 2, 9, 11, 3, 4, 1, Padding::valid},
      // Fused dW packs colᵀ four output columns at a time where their patches lie in the image, else
      // one by one: output rows of 7 (a tail of 3); rows of 10 over 3 samples, whose 300 rows of colᵀ
      // the GEMM packs in depth blocks of 256 (the first ends inside a group of four); rows of 9 (a
      // tail of 1) with kernel 5; one output row per sample; the padded border; a stride of 2.
      {2, 3, 9, 9, 4, 3, 1, Padding::valid},   {3, 2, 12, 12, 3, 3, 1, Padding::valid},
      {2, 2, 13, 13, 3, 5, 1, Padding::valid}, {3, 2, 5, 16, 3, 5, 1, Padding::valid},
      {2, 3, 10, 11, 4, 5, 1, Padding::same},  {2, 3, 15, 15, 4, 3, 2, Padding::valid},
  };
  for (const ConvCase& c : cases) {
    for (int threads : {1, max_test_threads()}) {
      // im2col and gemm(); fused with dx through dcol; fused with dx added by the GEMM; fused with dW
      // from x and dy directly (where possible)
      for (int mode : {0, 1, 2, 3}) {
        const bool fused = mode > 0;
        INFO(describe(c) << " threads=" << threads << " fused forward and backward=" << fused << " dx by the GEMM="
                         << (mode == 2) << " direct dW=" << (mode == 3));
        Random rng(11);
        ThreadPool pool(threads);
        RunContext context{pool, Mode::train, nullptr};
        Conv2d conv({c.channels, c.height, c.width}, c.filters, c.kernel, c.stride, c.padding, Init::xavier_normal);
        conv.set_fused_forward(fused);
        conv.set_fused_backward(fused);
        conv.set_fused_input_gradient(mode == 2);
        conv.set_direct_weight_gradient(mode == 3);
        if (mode == 3 && !conv.direct_weight_gradient_possible()) continue;
        conv.initialize(rng);
        for (std::size_t i = 0; i < conv.bias().size(); ++i) conv.bias()[i] = rng.normal(0.0f, 0.5f);
        const Tensor x = random_tensor({c.batch, c.channels, c.height, c.width}, rng);

        Tensor expected_y, expected_dx, expected_dw, expected_db;
        conv2d_reference_forward(x, conv.weight(), conv.bias(), c.stride, c.padding, expected_y);
        const Tensor& y = conv.forward(x, context);
        require_close(y, expected_y, "y");
        REQUIRE(y.shape() == Shape{c.batch, conv.output_shape()[0], conv.output_shape()[1], conv.output_shape()[2]});

        const Tensor dy = random_tensor(y.shape(), rng);
        conv2d_reference_backward(x, conv.weight(), dy, c.stride, c.padding, expected_dx, expected_dw, expected_db);
        for (auto& p : conv.parameters()) p.grad->set_zero();
        const Tensor dx = conv.backward(dy, context);
        require_close(dx, expected_dx, "dx");
        require_close(*conv.parameters()[0].grad, expected_dw, "dW");
        require_close(*conv.parameters()[1].grad, expected_db, "db");

        // A second step with the same buffers (steady state) accumulates the parameter gradients.
        conv.forward(x, context);
        conv.backward(dy, context);
        Tensor twice_dw = expected_dw;
        twice_dw.vector() *= 2.0f;
        require_close(*conv.parameters()[0].grad, twice_dw, "dW accumulated");
      }
    }
  }
}

TEST_CASE("conv2d gradients do not depend on timing with two threads", "[conv2d]") {
  Random rng(4);
  ThreadPool pool(max_test_threads());
  RunContext context{pool, Mode::train, nullptr};
  Conv2d conv({3, 10, 10}, 6, 3, 1, Padding::same, Init::he_normal);
  conv.initialize(rng);
  const Tensor x = random_tensor({17, 3, 10, 10}, rng);
  const Tensor dy = random_tensor({17, 6, 10, 10}, rng);
  Tensor first;
  for (int run = 0; run < 5; ++run) {
    for (auto& p : conv.parameters()) p.grad->set_zero();
    conv.forward(x, context);
    conv.backward(dy, context);
    if (run == 0) {
      first = *conv.parameters()[0].grad;
    } else {
      const Tensor& again = *conv.parameters()[0].grad;
      for (std::size_t i = 0; i < first.size(); ++i) REQUIRE(again[i] == first[i]);
    }
  }
}

TEST_CASE("conv2d passes the numerical gradient check", "[grad][conv2d]") {
  const ConvCase cases[] = {
      {2, 2, 7, 5, 3, 3, 1, Padding::valid}, {2, 2, 7, 5, 3, 3, 1, Padding::same},
      {2, 3, 7, 5, 2, 3, 2, Padding::valid}, {2, 3, 7, 5, 2, 3, 2, Padding::same},
      {3, 1, 6, 6, 2, 2, 2, Padding::same},  {1, 2, 5, 6, 4, 4, 1, Padding::same},
  };
  for (const ConvCase& c : cases) {
    INFO(describe(c));
    Random rng(21);
    Conv2d conv({c.channels, c.height, c.width}, c.filters, c.kernel, c.stride, c.padding, Init::xavier_normal, 0.1f);
    conv.initialize(rng);
    check_layer_gradients(conv, random_tensor({c.batch, c.channels, c.height, c.width}, rng));
  }
}

TEST_CASE("conv2d rejects invalid configurations", "[conv2d][validation]") {
  CHECK_THROWS_WITH(Conv2d({1, 8, 8}, 4, 0, 1, Padding::valid), Catch::Contains("kernel_size") && Catch::Contains("0"));
  CHECK_THROWS_WITH(Conv2d({1, 8, 8}, 4, 3, 0, Padding::valid), Catch::Contains("stride") && Catch::Contains("0"));
  CHECK_THROWS_WITH(Conv2d({1, 8, 8}, 0, 3, 1, Padding::valid), Catch::Contains("filters") && Catch::Contains("0"));
  CHECK_THROWS_WITH(Conv2d({1, 8, 8}, 4, -1, 1, Padding::same), Catch::Contains("kernel_size"));
  CHECK_THROWS_WITH(Conv2d({1, 4, 8}, 4, 5, 1, Padding::valid),
                    Catch::Contains("kernel_size 5") && Catch::Contains("larger"));
  CHECK_NOTHROW(Conv2d({1, 4, 8}, 4, 5, 1, Padding::same));
  CHECK_THROWS_WITH(Conv2d({8, 8}, 4, 3, 1, Padding::valid), Catch::Contains("[channels, height, width]"));
  CHECK_THROWS_WITH(Conv2d({0, 8, 8}, 4, 3, 1, Padding::valid), Catch::Contains("channels"));

  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  Conv2d conv({2, 5, 5}, 3, 3, 1, Padding::valid);
  CHECK_THROWS_WITH(conv.forward(Tensor({1, 1, 5, 5}), context), Catch::Contains("[N, 2, 5, 5]"));
}

// Not a test: training throughput of the two reference CNNs (conv, relu, max pool, dense, softmax
// cross-entropy, plain SGD). Hidden from ctest; run with  profundo_tests "conv2d training throughput*"
TEST_CASE("conv2d training throughput of tfjs-cnn and keras-cnn", "[.bench]") {
  struct Net {
    std::vector<std::unique_ptr<Layer>> layers;
    Shape shape{1, 28, 28};
    void push(std::unique_ptr<Layer> layer) {
      layers.push_back(std::move(layer));
      shape = layers.back()->output_shape();
    }
  };
  for (bool keras : {false, true}) {
    for (int batch : {64, 128}) {
      for (int threads : {1, max_test_threads()}) {
        Net net;
        const int k = keras ? 3 : 5, f1 = keras ? 32 : 8, f2 = keras ? 64 : 16;
        net.push(std::make_unique<Conv2d>(net.shape, f1, k, 1, Padding::valid, Init::he_normal));
        net.push(std::make_unique<Activation>(ActivationKind::relu, net.shape));
        net.push(std::make_unique<MaxPool2d>(net.shape, 2, 2));
        net.push(std::make_unique<Conv2d>(net.shape, f2, k, 1, Padding::valid, Init::he_normal));
        net.push(std::make_unique<Activation>(ActivationKind::relu, net.shape));
        net.push(std::make_unique<MaxPool2d>(net.shape, 2, 2));
        net.push(std::make_unique<Flatten>(net.shape));
        net.push(std::make_unique<Dense>(net.shape[0], 10));
        Random rng(1);
        for (auto& layer : net.layers) layer->initialize(rng);
        ThreadPool pool(threads);
        RunContext context{pool, Mode::train, &rng};
        Tensor x({batch, 1, 28, 28});
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform();
        Tensor target({batch, 10});
        for (int n = 0; n < batch; ++n) target[static_cast<std::size_t>(n * 10 + n % 10)] = 1.0f;
        auto loss = make_loss("softmax_cross_entropy");
        const auto step = [&] {
          for (auto& layer : net.layers)
            for (auto& p : layer->parameters()) p.grad->set_zero();
          const Tensor* h = &x;
          for (auto& layer : net.layers) h = &layer->forward(*h, context);
          loss->forward(*h, target);
          const Tensor* g = &loss->backward();
          for (std::size_t i = net.layers.size(); i-- > 0;) g = &net.layers[i]->backward(*g, context);
          for (auto& layer : net.layers)
            for (auto& p : layer->parameters()) p.value->vector() -= 0.01f * p.grad->vector();
        };
        for (int i = 0; i < 5; ++i) step();
        int steps = 0;
        double elapsed = 0.0;
        const auto start = std::chrono::steady_clock::now();
        while (elapsed < 1.0) {
          step();
          ++steps;
          elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        std::cout << (keras ? "keras-cnn" : "tfjs-cnn ") << " batch " << batch << " threads " << threads << ": "
                  << static_cast<long>(steps * batch / elapsed) << " training samples/s\n";
      }
    }
  }
}
