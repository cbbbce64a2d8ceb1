#include "core/matmul.hpp"
#include "core/random.hpp"

#include <array>

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>

using namespace profundo;

namespace {
// The single-threaded wasm build can only make a pool of one; everything else runs with two.
int two_threads_if_possible() { return ThreadPool::threads_supported() ? 2 : 1; }
}  // namespace

TEST_CASE("a build without threads refuses a pool of more than one thread", "[threads]") {
  if (ThreadPool::threads_supported()) {
    CHECK(ThreadPool(2).threads() == 2);
  } else {
    CHECK_THROWS_WITH(ThreadPool(2), Catch::Contains("no threads") && Catch::Contains("got 2"));
    CHECK(ThreadPool::hardware_threads() == 1);
  }
}

TEST_CASE("the thread pool runs every task exactly once", "[threads]") {
  for (const int threads : ThreadPool::threads_supported() ? std::vector<int>{1, 2, 4} : std::vector<int>{1}) {
    ThreadPool pool(threads);
    CHECK(pool.threads() == threads);
    for (int round = 0; round < 50; ++round) {
      std::vector<std::atomic<int>> hits(37);
      pool.parallel_for(37, [&](int i) { hits[static_cast<std::size_t>(i)]++; });
      for (auto& hit : hits) REQUIRE(hit.load() == 1);
    }
    std::atomic<long> total{0};
    pool.parallel_ranges(1000, 10, [&](int begin, int end) { total += end - begin; });
    CHECK(total.load() == 1000);
  }
}

TEST_CASE("a task's exception reaches the caller and the pool stays usable", "[threads]") {
  ThreadPool pool(two_threads_if_possible());
  CHECK_THROWS_WITH(pool.parallel_for(8, [](int i) { if (i == 5) throw std::runtime_error("task 5 failed"); }),
                    "task 5 failed");
  std::atomic<int> count{0};
  pool.parallel_for(8, [&](int) { count++; });
  CHECK(count.load() == 8);
  CHECK_THROWS(ThreadPool(0));
}

TEST_CASE("parallel matrix products equal the single-threaded ones", "[threads][matmul]") {
  Random rng(17);
  ThreadPool serial(1), parallel(two_threads_if_possible());
  const auto random = [&](int rows, int cols) {
    Tensor t({rows, cols});
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = rng.normal();
    return t;
  };
  // Shapes of the dense layers: tall (batch-major) and wide (features-major) outputs.
  for (const auto& mnk : std::vector<std::array<int, 3>>{{128, 256, 784}, {10, 784, 128}, {300, 7, 50}}) {
    const int m = mnk[0], n = mnk[1], k = mnk[2];
    const Tensor a = random(m, k), b = random(k, n), bt = random(n, k), at = random(k, m);
    for (const bool accumulate : {false, true}) {
      Tensor c1 = random(m, n);
      Tensor c2 = c1;
      matmul(serial, a.matrix(), Transpose::no, bt.matrix(), Transpose::yes, c1.matrix(), accumulate);
      matmul(parallel, a.matrix(), Transpose::no, bt.matrix(), Transpose::yes, c2.matrix(), accumulate);
      for (std::size_t i = 0; i < c1.size(); ++i) REQUIRE(c1[i] == Approx(c2[i]).epsilon(1e-4).margin(1e-4));
      Tensor expected({m, n});
      expected.matrix() = a.matrix() * b.matrix();
      matmul(parallel, at.matrix(), Transpose::yes, b.matrix(), Transpose::no, c2.matrix(), false);
      expected.matrix() = at.matrix().transpose() * b.matrix();
      for (std::size_t i = 0; i < c2.size(); ++i) REQUIRE(c2[i] == Approx(expected[i]).epsilon(1e-4).margin(1e-4));
      matmul(parallel, a.matrix(), Transpose::no, b.matrix(), Transpose::no, c2.matrix(), false);
      expected.matrix() = a.matrix() * b.matrix();
      for (std::size_t i = 0; i < c2.size(); ++i) REQUIRE(c2[i] == Approx(expected[i]).epsilon(1e-4).margin(1e-4));
      matmul(parallel, at.matrix(), Transpose::yes, bt.matrix(), Transpose::yes, c2.matrix(), false);
      expected.matrix() = at.matrix().transpose() * bt.matrix().transpose();
      for (std::size_t i = 0; i < c2.size(); ++i) REQUIRE(c2[i] == Approx(expected[i]).epsilon(1e-4).margin(1e-4));
    }
  }
}
