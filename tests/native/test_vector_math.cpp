// The vectorised e^x, σ and tanh (core/vector_math) against libm in double, rounded to float, over a
// dense sweep of all 2^32 bit patterns (every 509th, from three offsets) and the special values:
// ±0, subnormals, the edges of saturation, ±Inf and NaNs. The error is counted in ulps: the distance
// between the two floats in the ordered sequence of all floats (so +Inf is 1 ulp past FLT_MAX).
// Also the column sums that bias gradients use.
#include "core/random.hpp"
#include "core/vector_math.hpp"

#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

using namespace profundo;

namespace {

float from_bits(std::uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// Position of x in the ordered sequence of floats, with −0 and +0 at the same place.
std::int64_t ordinal(float x) {
  std::uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  const std::int64_t magnitude = b & 0x7fffffffu;
  return (b >> 31) ? -magnitude : magnitude;
}

std::vector<float> special_values() {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> values = {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(),
                               -std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::signaling_NaN(),
                               FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX, std::numeric_limits<float>::denorm_min(),
                               -std::numeric_limits<float>::denorm_min(), 1.0f, -1.0f};
  // A thousand floats on either side of each edge: exp's overflow, its last subnormal results, its
  // clamp, tanh's switches (identity, clamp, 1), and where σ saturates.
  for (float edge : {88.7228f, 88.75f, -87.3365f, -103.279f, -104.0f, 0.0004f, 7.90531f, 9.0f, 16.6355f, 44.36f}) {
    for (float x : {edge, -edge}) {
      float below = x, above = x;
      for (int i = 0; i < 1000; ++i) {
        below = std::nextafter(below, -inf);
        above = std::nextafter(above, inf);
        values.push_back(below);
        values.push_back(above);
      }
    }
  }
  return values;
}

std::vector<float> sweep() {
  std::vector<float> values = special_values();
  for (std::uint32_t offset : {0u, 1u, 254u})
    for (std::uint64_t b = offset; b <= 0xffffffffu; b += 509) values.push_back(from_bits(static_cast<std::uint32_t>(b)));
  return values;
}

struct Worst {
  std::int64_t ulps = 0;
  float x = 0, got = 0, expected = 0;
  int nan_mismatches = 0;
};

Worst compare(void (*fast)(const float*, int, float*), float (*reference)(float), const std::vector<float>& x) {
  std::vector<float> y(x.size());
  fast(x.data(), static_cast<int>(x.size()), y.data());
  Worst worst;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float expected = reference(x[i]);
    if (std::isnan(expected) || std::isnan(y[i])) {
      worst.nan_mismatches += std::isnan(expected) != std::isnan(y[i]);
      continue;
    }
    const std::int64_t ulps = std::llabs(ordinal(y[i]) - ordinal(expected));
    if (ulps > worst.ulps) worst = {ulps, x[i], y[i], expected, worst.nan_mismatches};
  }
  return worst;
}

void check(void (*fast)(const float*, int, float*), float (*reference)(float), std::int64_t bound) {
  static const std::vector<float> values = sweep();
  const Worst worst = compare(fast, reference, values);
  INFO("worst at x = " << worst.x << " (bits " << std::hex << ordinal(worst.x) << std::dec << "): " << worst.got
                       << ", expected " << worst.expected << ", " << worst.ulps << " ulp");
  CHECK(worst.nan_mismatches == 0);
  CHECK(worst.ulps <= bound);
}

}  // namespace

// The bounds are the ones documented in core/vector_math.hpp.
TEST_CASE("vector exp is within 1 ulp of libm everywhere", "[vector_math]") { check(vector_exp, exp_reference, 1); }

TEST_CASE("vector sigmoid is within 3 ulp of libm everywhere", "[vector_math]") {
  check(vector_sigmoid, sigmoid_reference, 3);
}

TEST_CASE("vector tanh is within 7 ulp of libm everywhere", "[vector_math]") {
  check(vector_tanh, tanh_reference, 7);
}

TEST_CASE("vector math keeps the sign of zero, saturates exactly and passes NaN", "[vector_math]") {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {-0.0f, 0.0f, inf, -inf, 200.0f, -200.0f};
  std::vector<float> e(x.size()), s(x.size()), t(x.size());
  vector_exp(x.data(), static_cast<int>(x.size()), e.data());
  vector_sigmoid(x.data(), static_cast<int>(x.size()), s.data());
  vector_tanh(x.data(), static_cast<int>(x.size()), t.data());
  CHECK(e == std::vector<float>{1.0f, 1.0f, inf, 0.0f, inf, 0.0f});
  CHECK(s == std::vector<float>{0.5f, 0.5f, 1.0f, 0.0f, 1.0f, 0.0f});
  CHECK(t == std::vector<float>{-0.0f, 0.0f, 1.0f, -1.0f, 1.0f, -1.0f});
  CHECK(std::signbit(t[0]));
  CHECK_FALSE(std::signbit(t[1]));
  const float nan = std::nanf("");
  float y = 0.0f;
  for (auto f : {vector_exp, vector_sigmoid, vector_tanh}) {
    f(&nan, 1, &y);
    CHECK(std::isnan(y));
  }
}

TEST_CASE("vector math handles every length and works in place", "[vector_math]") {
  // Lengths around the vector width (4 or 8) reach the padded tail; in place, y is x.
  for (int count = 0; count <= 19; ++count) {
    std::vector<float> x(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) x[static_cast<std::size_t>(i)] = 0.37f * static_cast<float>(i) - 3.0f;
    std::vector<float> y = x;
    vector_tanh(y.data(), count, y.data());
    for (int i = 0; i < count; ++i) {
      const float expected = tanh_reference(x[static_cast<std::size_t>(i)]);
      CHECK(std::llabs(ordinal(y[static_cast<std::size_t>(i)]) - ordinal(expected)) <= 7);
    }
  }
}

// Column counts around the vector blocks (4 vectors of 4, 8 or 16 floats) and a row stride wider
// than the columns, against sums in double.
TEST_CASE("column sums add every row of each column to the sums", "[vector_math]") {
  Random rng(23);
  for (const int columns : {1, 5, 16, 17, 64, 65, 70, 129, 512}) {
    for (const int rows : {0, 1, 7, 100}) {
      const int stride = columns + 3;
      std::vector<float> x(static_cast<std::size_t>(rows) * stride), sums(static_cast<std::size_t>(columns));
      for (float& v : x) v = rng.uniform(-1.0f, 1.0f);
      for (float& v : sums) v = rng.uniform(-1.0f, 1.0f);
      std::vector<double> expected(sums.begin(), sums.end());
      for (int r = 0; r < rows; ++r)
        for (int j = 0; j < columns; ++j) expected[static_cast<std::size_t>(j)] += x[static_cast<std::size_t>(r) * stride + j];
      add_column_sums(x.data(), rows, columns, stride, sums.data());
      INFO("rows " << rows << " columns " << columns);
      for (int j = 0; j < columns; ++j) CHECK(sums[static_cast<std::size_t>(j)] == Approx(expected[static_cast<std::size_t>(j)]).margin(1e-4));
    }
  }
}
