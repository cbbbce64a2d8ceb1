#include "core/peak_flops.hpp"

#include "core/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

namespace profundo {

namespace {

using F32x4 = float __attribute__((vector_size(16)));  // simd128 in WebAssembly, SSE natively

// Twelve independent chains hide the latency of a mul followed by an add (4 + 4 cycles, two of
// each per cycle on current x86) and still fit in 16 vector registers with the two constants.
constexpr int kChains = 12;
constexpr double kFlopsPerIteration = kChains * 4 * 2;

// acc ← acc·m + a on every chain: the values converge to a / (1 − m), never denormal or infinite.
float multiply_adds(long iterations) {
  F32x4 acc[kChains];
  for (int k = 0; k < kChains; ++k) acc[k] = F32x4{} + static_cast<float>(k);
  const F32x4 m = F32x4{} + 0.999f, a = F32x4{} + 0.001f;
  for (long i = 0; i < iterations; ++i)
    for (int k = 0; k < kChains; ++k) acc[k] = acc[k] * m + a;
  F32x4 sum{};
  for (int k = 0; k < kChains; ++k) sum += acc[k];
  return sum[0] + sum[1] + sum[2] + sum[3];
}

std::atomic<float> result_sink{0.0f};  // the results are kept, so the loops cannot be dropped

// Seconds for `iterations` per task on `tasks` tasks spread over the pool.
double run(ThreadPool& pool, int tasks, long iterations) {
  const auto start = std::chrono::steady_clock::now();
  pool.parallel_for(tasks, [&](int) { result_sink.store(multiply_adds(iterations), std::memory_order_relaxed); });
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

double peak_f32x4_gflops(int threads, double seconds) {
  ThreadPool pool(threads);
  // Many small tasks per thread: a thread that wakes late takes fewer, and all stay busy.
  const int tasks = 16 * pool.threads();
  long iterations = 1000;
  double elapsed = run(pool, tasks, iterations);
  while (elapsed < seconds) {  // grow the work until one run lasts long enough to time
    iterations = static_cast<long>(static_cast<double>(iterations) * std::min(10.0, 1.2 * seconds / std::max(elapsed, 1e-6)));
    elapsed = run(pool, tasks, iterations);
  }
  return kFlopsPerIteration * static_cast<double>(iterations) * tasks / elapsed / 1e9;
}

}  // namespace profundo
