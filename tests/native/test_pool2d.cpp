#include "layers/pool2d.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

using namespace profundo;
using namespace profundo::testing;

namespace {

// Distinct values spaced 0.05 apart (> 2ε of the checker) in random order: no window has a tie,
// and no ±ε step changes which element is the maximum.
Tensor distinct_tensor(const Shape& shape, Random& rng) {
  Tensor t(shape);
  std::vector<int> order(t.size());
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = 0.05f * static_cast<float>(order[i]) - 1.0f;
  return t;
}

Tensor iota_tensor(const Shape& shape) {
  Tensor t(shape);
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(i);
  return t;
}

}  // namespace

TEST_CASE("maxpool2d takes the window maximum and floors the output size", "[maxpool2d]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  MaxPool2d max_pool({1, 5, 5}, 2, 2);
  REQUIRE(max_pool.output_shape() == Shape{1, 2, 2});
  Tensor x = iota_tensor({1, 1, 5, 5});
  x[0] = 100.0f;  // top-left window's maximum moves to its first element
  const Tensor& y = max_pool.forward(x, context);
  REQUIRE(y.shape() == Shape{1, 1, 2, 2});
  CHECK(y[0] == 100.0f);
  CHECK(y[1] == 8.0f);
  CHECK(y[2] == 16.0f);
  CHECK(y[3] == 18.0f);

  Tensor dy({1, 1, 2, 2});
  dy[0] = 1.0f;
  dy[1] = 2.0f;
  dy[2] = 3.0f;
  dy[3] = 4.0f;
  const Tensor& dx = max_pool.backward(dy, context);
  REQUIRE(dx.shape() == x.shape());
  CHECK(dx[0] == 1.0f);
  CHECK(dx[8] == 2.0f);
  CHECK(dx[16] == 3.0f);
  CHECK(dx[18] == 4.0f);
  CHECK(dx.vector().sum() == 10.0f);  // the last row and column (dropped by the floor) get nothing
  CHECK(dx[24] == 0.0f);
}

TEST_CASE("maxpool2d routes the gradient to the first maximum on ties", "[maxpool2d]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  MaxPool2d max_pool({1, 2, 2}, 2, 2);
  Tensor x({1, 1, 2, 2}, 3.0f);  // four equal values
  max_pool.forward(x, context);
  Tensor dy({1, 1, 1, 1}, 5.0f);
  const Tensor& dx = max_pool.backward(dy, context);
  CHECK(dx[0] == 5.0f);
  CHECK(dx[1] == 0.0f);
  CHECK(dx[2] == 0.0f);
  CHECK(dx[3] == 0.0f);

  x[0] = 1.0f;  // tie between elements 1 and 3: the first in row-major order wins
  max_pool.forward(x, context);
  const Tensor& dx2 = max_pool.backward(dy, context);
  CHECK(dx2[1] == 5.0f);
  CHECK(dx2[3] == 0.0f);
}

TEST_CASE("maxpool2d with overlapping windows accumulates into shared inputs", "[maxpool2d]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  MaxPool2d max_pool({1, 3, 3}, 2, 1);
  Tensor x({1, 1, 3, 3}, 0.0f);
  x[4] = 9.0f;  // the centre is the maximum of all four windows
  const Tensor& y = max_pool.forward(x, context);
  REQUIRE(y.shape() == Shape{1, 1, 2, 2});
  for (int i = 0; i < 4; ++i) CHECK(y[static_cast<std::size_t>(i)] == 9.0f);
  const Tensor& dx = max_pool.backward(Tensor({1, 1, 2, 2}, 1.0f), context);
  CHECK(dx[4] == 4.0f);
  CHECK(dx.vector().sum() == 4.0f);
}

TEST_CASE("avgpool2d averages the window and spreads the gradient evenly", "[avgpool2d]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  AvgPool2d avg_pool({2, 4, 5}, 2, 2);
  REQUIRE(avg_pool.output_shape() == Shape{2, 2, 2});
  const Tensor x = iota_tensor({1, 2, 4, 5});
  const Tensor& y = avg_pool.forward(x, context);
  CHECK(y[0] == Approx((0 + 1 + 5 + 6) / 4.0));
  CHECK(y[3] == Approx((12 + 13 + 17 + 18) / 4.0));
  CHECK(y[4] == Approx((20 + 21 + 25 + 26) / 4.0));
  const Tensor& dx = avg_pool.backward(Tensor({1, 2, 2, 2}, 1.0f), context);
  CHECK(dx[0] == 0.25f);
  CHECK(dx[6] == 0.25f);
  CHECK(dx[4] == 0.0f);   // last column dropped
  CHECK(dx[15] == 0.25f);  // the 4 rows are all covered
  CHECK(dx[19] == 0.0f);   // last column dropped
}

TEST_CASE("maxpool2d passes the numerical gradient check", "[grad][maxpool2d]") {
  struct Case { int batch, channels, height, width, kernel, stride; };
  for (const Case& c : {Case{2, 3, 4, 4, 2, 2}, Case{2, 2, 7, 5, 2, 2}, Case{1, 3, 7, 5, 3, 2}, Case{2, 2, 5, 6, 3, 1},
                        Case{1, 2, 9, 7, 2, 3}}) {
    INFO("N=" << c.batch << " C=" << c.channels << " " << c.height << "x" << c.width << " k=" << c.kernel
              << " s=" << c.stride);
    Random rng(8);
    MaxPool2d max_pool({c.channels, c.height, c.width}, c.kernel, c.stride);
    check_layer_gradients(max_pool, distinct_tensor({c.batch, c.channels, c.height, c.width}, rng));
  }
}

TEST_CASE("avgpool2d passes the numerical gradient check", "[grad][avgpool2d]") {
  struct Case { int batch, channels, height, width, kernel, stride; };
  for (const Case& c : {Case{2, 3, 4, 4, 2, 2}, Case{2, 2, 7, 5, 2, 2}, Case{1, 3, 7, 5, 3, 2}, Case{2, 2, 5, 6, 3, 1}}) {
    INFO("N=" << c.batch << " C=" << c.channels << " " << c.height << "x" << c.width << " k=" << c.kernel
              << " s=" << c.stride);
    Random rng(9);
    AvgPool2d avg_pool({c.channels, c.height, c.width}, c.kernel, c.stride);
    check_layer_gradients(avg_pool, random_tensor({c.batch, c.channels, c.height, c.width}, rng));
  }
}

TEST_CASE("pooling gives the same results with one and two threads", "[maxpool2d][avgpool2d]") {
  Random rng(2);
  const Tensor x = random_tensor({7, 3, 9, 8}, rng);
  const Tensor dy_max = random_tensor({7, 3, 4, 4}, rng);
  Tensor results[2][4];
  const int thread_counts[2] = {1, max_test_threads()};
  for (int run = 0; run < 2; ++run) {
    const int threads = run + 1;
    ThreadPool pool(thread_counts[run]);
    RunContext context{pool, Mode::train, nullptr};
    MaxPool2d max_pool({3, 9, 8}, 2, 2);
    AvgPool2d avg_pool({3, 9, 8}, 2, 2);
    results[threads - 1][0] = max_pool.forward(x, context);
    results[threads - 1][1] = max_pool.backward(dy_max, context);
    results[threads - 1][2] = avg_pool.forward(x, context);
    results[threads - 1][3] = avg_pool.backward(dy_max, context);
  }
  for (int k = 0; k < 4; ++k) {
    REQUIRE(results[0][k].shape() == results[1][k].shape());
    for (std::size_t i = 0; i < results[0][k].size(); ++i) REQUIRE(results[0][k][i] == results[1][k][i]);
  }
}

TEST_CASE("pooling rejects invalid configurations", "[maxpool2d][avgpool2d][validation]") {
  CHECK_THROWS_WITH(MaxPool2d({1, 8, 8}, 0, 2), Catch::Contains("kernel_size") && Catch::Contains("0"));
  CHECK_THROWS_WITH(MaxPool2d({1, 8, 8}, 2, 0), Catch::Contains("stride") && Catch::Contains("0"));
  CHECK_THROWS_WITH(AvgPool2d({1, 8, 8}, 0, 2), Catch::Contains("avgpool2d") && Catch::Contains("kernel_size"));
  CHECK_THROWS_WITH(AvgPool2d({1, 8, 8}, 2, -1), Catch::Contains("stride"));
  CHECK_THROWS_WITH(MaxPool2d({1, 3, 8}, 4, 4), Catch::Contains("kernel_size 4") && Catch::Contains("larger"));
  CHECK_THROWS_WITH(AvgPool2d({1, 8, 3}, 4, 4), Catch::Contains("larger"));
  CHECK_THROWS_WITH(MaxPool2d({8, 8}, 2, 2), Catch::Contains("[channels, height, width]"));

  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  MaxPool2d max_pool({2, 4, 4}, 2, 2);
  CHECK_THROWS_WITH(max_pool.forward(Tensor({1, 3, 4, 4}), context), Catch::Contains("[N, 2, 4, 4]"));
}

TEST_CASE("maxpool2d propagates NaN like PyTorch and routes its gradient there", "[maxpool2d]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int kernel : {2, 3}) {
    INFO("kernel " << kernel);
    MaxPool2d max_pool({1, 4, 4}, kernel, kernel == 2 ? 2 : 1);
    Tensor x = iota_tensor({1, 1, 4, 4});
    x[0] = nan;  // inside the first window only, for both kernels
    const Tensor& y = max_pool.forward(x, context);
    CHECK(std::isnan(y[0]));
    CHECK(y[y.size() - 1] == 15.0f);
    const Tensor& dx = max_pool.backward(Tensor(y.shape(), 1.0f), context);
    CHECK(dx[0] == 1.0f);
    CHECK(dx[1] == 0.0f);
    CHECK(dx[15] == 1.0f);
  }
}

TEST_CASE("maxpool2d in eval mode gives the training-mode maxima and refuses backward", "[maxpool2d]") {
  ThreadPool pool(max_test_threads());
  RunContext train{pool, Mode::train, nullptr};
  RunContext eval{pool, Mode::eval, nullptr};
  Random rng(3);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Widths 8, 13 and 21: evaluation's 2×2 rows take four outputs at a time, then a tail of 0, 2 or 2.
  for (const auto& [kernel, stride, width] : {std::tuple{2, 2, 8}, std::tuple{2, 2, 13}, std::tuple{2, 2, 21},
                                              std::tuple{3, 1, 8}, std::tuple{3, 2, 8}}) {
    INFO("kernel " << kernel << " stride " << stride << " width " << width);
    MaxPool2d max_pool({3, 9, width}, kernel, stride);
    Tensor x = distinct_tensor({4, 3, 9, width}, rng);
    // A NaN is the maximum of every window it is in, in both modes: one in a vector's columns, one
    // in the tail of a row.
    x[static_cast<std::size_t>(2 * width + 1)] = nan;
    x[static_cast<std::size_t>(9 * width * 5 + 4 * width + width - 3)] = nan;
    const Tensor expected = max_pool.forward(x, train);
    const Tensor& y = max_pool.forward(x, eval);
    REQUIRE(y.shape() == expected.shape());
    for (std::size_t i = 0; i < y.size(); ++i) {
      INFO("element " << i);
      if (std::isnan(expected[i])) CHECK(std::isnan(y[i]));
      else CHECK(y[i] == expected[i]);
    }
    CHECK_THROWS_WITH(max_pool.backward(Tensor(y.shape(), 1.0f), eval), Catch::Contains("backward after a forward in eval mode"));
  }
}

TEST_CASE("global_avg_pool2d averages each channel's plane and spreads dy / (H·W) back", "[global_avg_pool2d]") {
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  GlobalAvgPool2d global_pool({2, 2, 3});
  REQUIRE(global_pool.output_shape() == Shape{2});
  const Tensor x = iota_tensor({2, 2, 2, 3});  // sample 0: planes 0..5, 6..11; sample 1: 12..17, 18..23
  const Tensor& y = global_pool.forward(x, context);
  REQUIRE(y.shape() == Shape{2, 2});
  CHECK(y[0] == Approx(2.5));   // mean of 0..5
  CHECK(y[1] == Approx(8.5));   // mean of 6..11
  CHECK(y[3] == Approx(20.5));  // mean of 18..23
  Tensor dy({2, 2});
  for (std::size_t i = 0; i < dy.size(); ++i) dy[i] = static_cast<float>(6 * (i + 1));
  const Tensor& dx = global_pool.backward(dy, context);
  REQUIRE(dx.shape() == x.shape());
  CHECK(dx[0] == Approx(1.0));   // 6 / 6
  CHECK(dx[5] == Approx(1.0));
  CHECK(dx[6] == Approx(2.0));   // 12 / 6
  CHECK(dx[23] == Approx(4.0));  // 24 / 6
  CHECK_THROWS_WITH(GlobalAvgPool2d({4}), Catch::Contains("global_avg_pool2d") && Catch::Contains("[4]"));
}

TEST_CASE("global_avg_pool2d passes the numerical gradient check", "[grad][global_avg_pool2d]") {
  for (const Shape& shape : {Shape{2, 3, 4, 4}, Shape{1, 2, 5, 3}, Shape{3, 1, 1, 7}}) {
    INFO("x " << to_string(shape));
    Random rng(10);
    GlobalAvgPool2d global_pool({shape[1], shape[2], shape[3]});
    check_layer_gradients(global_pool, random_tensor(shape, rng));
  }
}
