#include "core/peak_flops.hpp"

#include "core/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace profundo {

namespace {

using F32x4 = float __attribute__((vector_size(16)));  // simd128 in WebAssembly, SSE natively

// Twelve independent chains hide the latency of a mul followed by an add (4 + 4 cycles, two of
// each per cycle on current x86) and still fit in 16 vector registers with the two constants.
constexpr int kChains = 12;
constexpr double kFlopsPerIteration = kChains * 4 * 2;

// acc ← acc·m + a on every chain: the values converge to a / (1 − m), never denormal or infinite.
float multiply_adds(std::int64_t iterations) {
  F32x4 acc[kChains];
  for (int k = 0; k < kChains; ++k) acc[k] = F32x4{} + static_cast<float>(k);
  const F32x4 m = F32x4{} + 0.999f, a = F32x4{} + 0.001f;
  for (std::int64_t i = 0; i < iterations; ++i)
    for (int k = 0; k < kChains; ++k) acc[k] = acc[k] * m + a;
  F32x4 sum{};
  for (int k = 0; k < kChains; ++k) sum += acc[k];
  return sum[0] + sum[1] + sum[2] + sum[3];
}

// Seconds for `iterations` per task on `tasks` tasks spread over the pool. The results are summed
// and checked, so the compiler cannot drop the loops (a value only ever stored, it did drop).
double run(ThreadPool& pool, int tasks, std::int64_t iterations) {
  std::atomic<float> sum{0.0f};
  const auto start = std::chrono::steady_clock::now();
  pool.parallel_for(tasks, [&](int) {
    const float result = multiply_adds(iterations);
    float seen = sum.load(std::memory_order_relaxed);
    while (!sum.compare_exchange_weak(seen, seen + result, std::memory_order_relaxed)) {
    }
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!(sum.load() > 0.0f)) throw std::logic_error("peak_f32x4_gflops: the multiply-adds gave no positive sum");
  return seconds;
}

}  // namespace

double peak_f32x4_gflops(int threads, double seconds) {
  ThreadPool pool(threads);
  // Many small tasks per thread: a thread that wakes late takes fewer, and all stay busy.
  const int tasks = 16 * pool.threads();
  std::int64_t iterations = 1000;
  double elapsed = run(pool, tasks, iterations);
  while (elapsed < seconds) {  // grow the work until one run lasts long enough to time
    iterations = static_cast<std::int64_t>(static_cast<double>(iterations) * std::min(10.0, 1.2 * seconds / std::max(elapsed, 1e-6)));
    elapsed = run(pool, tasks, iterations);
  }
  return kFlopsPerIteration * static_cast<double>(iterations) * tasks / elapsed / 1e9;
}

}  // namespace profundo
