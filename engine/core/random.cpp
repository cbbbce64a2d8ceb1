#include "core/random.hpp"

#include <cmath>

namespace profundo {

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
constexpr double kTwoPi = 6.283185307179586476925286766559;
}  // namespace

Random::Random(std::uint64_t seed, RandomStream stream) {
  std::uint64_t mix = seed ^ (static_cast<std::uint64_t>(stream) * 0xD1B54A32D192ED03ULL);
  increment_ = (splitmix64(mix) << 1u) | 1u;  // PCG needs an odd increment
  state_ = splitmix64(mix);
  next_u32();
}

std::uint32_t Random::next_u32() {
  const std::uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + increment_;
  const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  const auto rot = static_cast<std::uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

float Random::uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

float Random::uniform(float low, float high) { return low + (high - low) * uniform(); }

float Random::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return static_cast<float>(spare_normal_);
  }
  // u1 in (0, 1] so that log(u1) is finite.
  const double u1 = (static_cast<double>(next_u32() >> 8) + 1.0) / 16777216.0;
  const double u2 = static_cast<double>(next_u32() >> 8) / 16777216.0;
  const double radius = std::sqrt(-2.0 * std::log(u1));
  spare_normal_ = radius * std::sin(kTwoPi * u2);
  has_spare_normal_ = true;
  return static_cast<float>(radius * std::cos(kTwoPi * u2));
}

float Random::normal(float mean, float stddev) { return mean + stddev * normal(); }

std::uint32_t Random::below(std::uint32_t n) {
  // Lemire's rejection method on 32 bits.
  const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
  for (;;) {
    const std::uint32_t r = next_u32();
    if (r >= threshold) return r % n;
  }
}

}  // namespace profundo
