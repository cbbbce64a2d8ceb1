// A seeded random generator object (PCG32, O'Neill 2014); no global state anywhere in the engine.
// Distributions are written here rather than taken from <random> because libstdc++ (native) and
// libc++ (Emscripten) implement std::normal_distribution differently: the same seed must give the
// same run natively and in WebAssembly.
#pragma once

#include <cstdint>
#include <vector>

namespace profundo {

// Independent streams derived from one user seed, so that e.g. adding dropout does not change
// the initial weights or the shuffling order.
enum class RandomStream : std::uint64_t {
  initialization = 1,
  data_split = 2,
  shuffling = 3,
  dropout = 4,
  augmentation = 5,
  sampling = 6,
  user = 7,
};

class Random {
 public:
  explicit Random(std::uint64_t seed, RandomStream stream = RandomStream::user);

  std::uint32_t next_u32();
  // Uniform in [0, 1) with 24 random bits (every value exactly representable as float).
  float uniform();
  float uniform(float low, float high);
  // Standard normal by Box-Muller, computed in double for portable rounding.
  float normal();
  float normal(float mean, float stddev);
  // Uniform integer in [0, n), without modulo bias.
  std::uint32_t below(std::uint32_t n);
  bool bernoulli(float p) { return uniform() < p; }

  // The complete state, for saving a run and resuming it exactly.
  struct State {
    std::uint64_t state = 0;
    std::uint64_t increment = 0;
    bool has_spare_normal = false;
    double spare_normal = 0.0;
  };
  State save_state() const { return {state_, increment_, has_spare_normal_, spare_normal_}; }
  void restore_state(const State& saved) {
    state_ = saved.state;
    increment_ = saved.increment | 1u;  // PCG needs an odd increment, whatever a file says
    has_spare_normal_ = saved.has_spare_normal;
    spare_normal_ = saved.spare_normal;
  }

  template <typename T>
  void shuffle(std::vector<T>& items) {  // Fisher-Yates
    for (std::size_t i = items.size(); i > 1; --i) {
      const std::size_t j = below(static_cast<std::uint32_t>(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::uint64_t state_ = 0;
  std::uint64_t increment_ = 0;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace profundo
