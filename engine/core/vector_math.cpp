#include "core/vector_math.hpp"

#include "core/f32x4.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace profundo {

namespace {

// One vector register of floats (core/f32x4.hpp).
constexpr int kLanes = kWidestLanes;
using floats = widest_floats;
typedef std::int32_t ints __attribute__((vector_size(kLanes * 4), aligned(4), __may_alias__));

inline floats splat(float x) { return floats{} + x; }
inline ints bits(floats x) { return reinterpret_cast<ints&>(x); }
inline floats from_bits(ints x) { return reinterpret_cast<floats&>(x); }
// Lanes of `a` where mask is all ones, of `b` where it is zero (masks come from comparisons).
inline floats select(ints mask, floats a, floats b) { return from_bits((mask & bits(a)) | (~mask & bits(b))); }
constexpr std::int32_t kSignBit = INT32_MIN;
inline floats abs(floats x) { return from_bits(bits(x) & ~kSignBit); }

// e^x, Cephes expf's reduction and polynomial. NaN passes the clamps (its comparisons are false)
// and stays NaN through the arithmetic.
inline floats exp_kernel(floats x) {
  // Past these, e^x is 0 (below 2^−150, half the smallest subnormal) or +Inf (above FLT_MAX).
  x = select(x < -104.0f, splat(-104.0f), x);
  x = select(x > 88.75f, splat(88.75f), x);
  // n = round(x / ln2): adding 1.5·2^23 rounds to an integer held in the low mantissa bits.
  const floats shifter = splat(12582912.0f);
  const floats shifted = x * 1.44269504088896341f + shifter;
  const floats n = shifted - shifter;
  const ints n_int = bits(shifted) - bits(shifter);
  // r = x − n·ln2 with ln2 split in two so that n·ln2_high is exact (ln2_high has 9 bits).
  floats r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  floats p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  // × 2^n as 2^(n/2) · 2^(n − n/2): n runs from −150 to 128, each half stays a normal float.
  const ints half = n_int >> 1;
  const floats scale_1 = from_bits((half + 127) << 23);
  const floats scale_2 = from_bits((n_int - half + 127) << 23);
  return p * scale_1 * scale_2;
}

inline floats sigmoid_kernel(floats x) {
  const floats s = exp_kernel(-abs(x));  // in [0, 1]
  const floats d = 1.0f / (s + 1.0f);
  return select(x < 0.0f, s * d, d);
}

// tanh(|x|) as Eigen 3.4's rational approximation (generic_fast_tanh_float: odd degree 13 over even
// degree 6, the argument clamped where the quotient peaks), with the sign of x put back; 1 past 9,
// where tanh rounds to 1 in float. Twice as fast in wasm as 1 − 2/(e^2|x| + 1) (1 ulp): 7 ulp.
inline floats tanh_kernel(floats x) {
  const floats a = abs(x);
  const floats c = select(a > 7.90531110763549805f, splat(7.90531110763549805f), a);  // NaN stays NaN
  const floats z = c * c;
  floats p = splat(-2.76076847742355e-16f);
  p = p * z + 2.00018790482477e-13f;
  p = p * z - 8.60467152213735e-11f;
  p = p * z + 5.12229709037114e-08f;
  p = p * z + 1.48572235717979e-05f;
  p = p * z + 6.37261928875436e-04f;
  p = p * z + 4.89352455891786e-03f;
  floats q = splat(1.19825839466702e-06f);
  q = q * z + 1.18534705686654e-04f;
  q = q * z + 2.26843463243900e-03f;
  q = q * z + 4.89352518554385e-03f;
  floats magnitude = select(a < 0.0004f, a, c * p / q);  // tanh(x) = x in float below 0.0004
  magnitude = select(a > 9.0f, splat(1.0f), magnitude);
  return from_bits(bits(magnitude) | (bits(x) & kSignBit));
}

// Applies `kernel` to whole vectors, and to the last count % kLanes floats through a padded copy
// (so every element goes through the same arithmetic).
template <typename Kernel>
void apply(const float* x, int count, float* y, Kernel kernel) {
  int i = 0;
  for (; i + kLanes <= count; i += kLanes)
    *reinterpret_cast<floats*>(y + i) = kernel(*reinterpret_cast<const floats*>(x + i));
  if (i == count) return;
  floats tail{};
  std::copy(x + i, x + count, reinterpret_cast<float*>(&tail));
  tail = kernel(tail);
  std::copy(reinterpret_cast<const float*>(&tail), reinterpret_cast<const float*>(&tail) + (count - i), y + i);
}

}  // namespace

// Lambdas, not function pointers: through a pointer every vector was an indirect call (4× slower).
void vector_exp(const float* x, int count, float* y) {
  apply(x, count, y, [](floats v) { return exp_kernel(v); });
}
void vector_sigmoid(const float* x, int count, float* y) {
  apply(x, count, y, [](floats v) { return sigmoid_kernel(v); });
}
void vector_tanh(const float* x, int count, float* y) {
  apply(x, count, y, [](floats v) { return tanh_kernel(v); });
}

void add_column_sums(const float* x, int rows, int columns, int row_stride, float* sums) {
  constexpr int kBlock = 4;  // vectors of columns summed together: four independent chains of adds
  int j = 0;
  for (; j + kBlock * kLanes <= columns; j += kBlock * kLanes) {
    floats sum[kBlock] = {};
    for (int r = 0; r < rows; ++r) {
      const float* row = x + static_cast<std::size_t>(r) * row_stride + j;
      for (int v = 0; v < kBlock; ++v) sum[v] += load_widest(row + v * kLanes);
    }
    for (int v = 0; v < kBlock; ++v) store_widest(sums + j + v * kLanes, load_widest(sums + j + v * kLanes) + sum[v]);
  }
  for (; j < columns; ++j) {
    float sum = 0.0f;
    for (int r = 0; r < rows; ++r) sum += x[static_cast<std::size_t>(r) * row_stride + j];
    sums[j] += sum;
  }
}

float exp_reference(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }
float sigmoid_reference(float x) { return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(x)))); }
float tanh_reference(float x) { return static_cast<float>(std::tanh(static_cast<double>(x))); }

}  // namespace profundo
