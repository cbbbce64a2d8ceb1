#include "core/peak_flops.hpp"

#include "core/f32x4.hpp"
#include "core/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace profundo {

namespace {

using F32x4 = float __attribute__((vector_size(16)));  // simd128 in WebAssembly, SSE natively
// x86's FMA3 (implied by AVX-512): GCC and Clang contract acc·m + a into one instruction by default.
#if defined(__FMA__)
constexpr bool kFusedMultiplyAdd = true;
#else
constexpr bool kFusedMultiplyAdd = false;
#endif

// Twelve independent chains hide the latency of a mul followed by an add (4 + 4 cycles, two of
// each per cycle on current x86) and still fit in 16 vector registers with the two constants.
constexpr int kChains = 12;

// acc ← acc·m + a on every chain: the values converge to a / (1 − m), never denormal or infinite.
template <typename Vector>
float multiply_adds(std::int64_t iterations) {
  Vector acc[kChains];
  for (int k = 0; k < kChains; ++k) acc[k] = Vector{} + static_cast<float>(k);
  const Vector m = Vector{} + 0.999f, a = Vector{} + 0.001f;
  for (std::int64_t i = 0; i < iterations; ++i)
    for (int k = 0; k < kChains; ++k) acc[k] = acc[k] * m + a;
  Vector sum{};
  for (int k = 0; k < kChains; ++k) sum += acc[k];
  float total = 0.0f;
  for (std::size_t lane = 0; lane < sizeof(Vector) / sizeof(float); ++lane) total += sum[lane];
  return total;
}

// Seconds for `iterations` per task on `tasks` tasks spread over the pool. The results are summed
// and checked, so the compiler cannot drop the loops (a value only ever stored, it did drop).
template <typename Vector>
double run(ThreadPool& pool, int tasks, std::int64_t iterations) {
  std::atomic<float> sum{0.0f};
  const auto start = std::chrono::steady_clock::now();
  pool.parallel_for(tasks, [&](int) {
    const float result = multiply_adds<Vector>(iterations);
    float seen = sum.load(std::memory_order_relaxed);
    while (!sum.compare_exchange_weak(seen, seen + result, std::memory_order_relaxed)) {
    }
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!(sum.load() > 0.0f)) throw std::logic_error("peak flops probe: the multiply-adds gave no positive sum");
  return seconds;
}

// A multiply and an add per lane of every chain, per iteration.
template <typename Vector>
double peak_gflops(int threads, double seconds) {
  ThreadPool pool(threads);
  // Many small tasks per thread: a thread that wakes late takes fewer, and all stay busy.
  const int tasks = 16 * pool.threads();
  std::int64_t iterations = 1000;
  double elapsed = run<Vector>(pool, tasks, iterations);
  while (elapsed < seconds) {  // grow the work until one run lasts long enough to time
    iterations = static_cast<std::int64_t>(static_cast<double>(iterations) * std::min(10.0, 1.2 * seconds / std::max(elapsed, 1e-6)));
    elapsed = run<Vector>(pool, tasks, iterations);
  }
  const double flops_per_iteration = kChains * 2.0 * (sizeof(Vector) / sizeof(float));
  return flops_per_iteration * static_cast<double>(iterations) * tasks / elapsed / 1e9;
}

}  // namespace

double peak_f32x4_gflops(int threads, double seconds) { return peak_gflops<F32x4>(threads, seconds); }

VectorCeiling peak_widest_gflops(int threads, double seconds) {
  return {kWidestLanes, kFusedMultiplyAdd, peak_gflops<widest_floats>(threads, seconds)};
}

}  // namespace profundo
