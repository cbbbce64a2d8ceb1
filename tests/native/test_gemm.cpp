// The fast GEMMs (the packed f32x4 kernel used in WebAssembly, Eigen used natively) against the
// plain triple loop, on shapes that hit every edge: partial micro-tiles, several K/M/N blocks,
// transposed operands, submatrices (leading dimension wider than the matrix) and accumulation.
#include "core/gemm.hpp"
#include "core/random.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace profundo;

namespace {

using GemmFunction = void (*)(GemmShape, const float*, int, Transpose, const float*, int, Transpose, float*, int, bool);

struct Case {
  GemmShape shape;
  Transpose ta, tb;
  int padding;  // extra columns in every stored row: operands are submatrices
  bool accumulate;
};

// Largest |fast − reference| relative to the size of the terms, over all of C.
double relative_difference(GemmFunction fast, const Case& test) {
  const auto [m, n, k] = test.shape;
  const bool ta = test.ta == Transpose::yes, tb = test.tb == Transpose::yes;
  const int lda = (ta ? m : k) + test.padding;
  const int ldb = (tb ? k : n) + test.padding;
  const int ldc = n + test.padding;
  Random rng(42);
  std::vector<float> a(static_cast<std::size_t>(ta ? k : m) * lda), b(static_cast<std::size_t>(tb ? n : k) * ldb);
  std::vector<float> c_fast(static_cast<std::size_t>(m) * ldc), c_reference;
  for (float& x : a) x = rng.uniform() * 2 - 1;
  for (float& x : b) x = rng.uniform() * 2 - 1;
  for (float& x : c_fast) x = rng.uniform() * 2 - 1;  // kept when accumulating, overwritten otherwise
  c_reference = c_fast;
  fast(test.shape, a.data(), lda, test.ta, b.data(), ldb, test.tb, c_fast.data(), ldc, test.accumulate);
  gemm_reference(test.shape, a.data(), lda, test.ta, b.data(), ldb, test.tb, c_reference.data(), ldc, test.accumulate);
  double worst = 0;
  for (std::size_t i = 0; i < c_fast.size(); ++i) {
    const bool padding_column = static_cast<int>(i % ldc) >= n;
    if (padding_column) {
      if (c_fast[i] != c_reference[i]) return INFINITY;  // wrote outside C
      continue;
    }
    worst = std::max(worst, std::abs(double(c_fast[i]) - c_reference[i]) / std::sqrt(double(k) + 1.0));
  }
  return worst;
}

std::vector<Case> edge_cases() {
  std::vector<Case> cases;
  const GemmShape shapes[] = {{1, 1, 1},     {3, 5, 7},      {4, 8, 16},    {5, 9, 1},      {13, 17, 300},
                              {64, 121, 288}, {130, 37, 65},  {7, 530, 20},  {121, 3, 513},  {8, 1000, 9}};
  for (const GemmShape& shape : shapes)
    for (const Transpose ta : {Transpose::no, Transpose::yes})
      for (const Transpose tb : {Transpose::no, Transpose::yes})
        for (const bool accumulate : {false, true}) cases.push_back({shape, ta, tb, shape.m % 3, accumulate});
  return cases;
}

// gemm_packed with op(B) packed beforehand, as a recurrent layer packs W_h once for all its steps.
void gemm_prepacked(GemmShape shape, const float* a, int lda, Transpose transpose_a, const float* b, int ldb,
                    Transpose transpose_b, float* c, int ldc, bool accumulate) {
  GemmPackedB packed;
  packed.pack(GemmOperand{b, ldb, transpose_b}, shape.k, shape.n);
  gemm_packed(shape, GemmOperand{a, lda, transpose_a}, packed, GemmOutput{c, ldc, std::max(shape.n, 1), 0, accumulate});
}

}  // namespace

TEST_CASE("the packed GEMM with B packed beforehand agrees with the reference triple loop", "[gemm]") {
  for (const Case& test : edge_cases()) {
    INFO("m " << test.shape.m << " n " << test.shape.n << " k " << test.shape.k << " ta " << (test.ta == Transpose::yes)
              << " tb " << (test.tb == Transpose::yes) << " accumulate " << test.accumulate);
    CHECK(relative_difference(gemm_prepacked, test) < 1e-5);
  }
}

TEST_CASE("the packed f32x4 GEMM agrees with the reference triple loop", "[gemm]") {
  for (const Case& test : edge_cases()) {
    INFO("m " << test.shape.m << " n " << test.shape.n << " k " << test.shape.k << " ta " << (test.ta == Transpose::yes)
              << " tb " << (test.tb == Transpose::yes) << " accumulate " << test.accumulate);
    CHECK(relative_difference(gemm_packed, test) < 1e-5);
  }
}

TEST_CASE("the Eigen GEMM wrapper agrees with the reference triple loop", "[gemm]") {
  for (const Case& test : edge_cases()) {
    INFO("m " << test.shape.m << " n " << test.shape.n << " k " << test.shape.k << " ta " << (test.ta == Transpose::yes)
              << " tb " << (test.tb == Transpose::yes) << " accumulate " << test.accumulate);
    CHECK(relative_difference(gemm_eigen, test) < 1e-5);
  }
}

TEST_CASE("an empty inner dimension gives zeros or leaves C as it was", "[gemm]") {
  std::vector<float> c = {1, 2, 3, 4};
  gemm_packed({2, 2, 0}, nullptr, 1, Transpose::no, nullptr, 2, Transpose::no, c.data(), 2, true);
  CHECK(c == std::vector<float>{1, 2, 3, 4});
  gemm_packed({2, 2, 0}, nullptr, 1, Transpose::no, nullptr, 2, Transpose::no, c.data(), 2, false);
  CHECK(c == std::vector<float>{0, 0, 0, 0});
}

// gemm_packed with its B packed by a callback (and, in_place, every other full panel read where it
// lies, as a convolution's interior is: GemmDirectB), C in column groups (a convolution's
// [N, K, P] output), a bias per row and a ReLU, against the reference loop applied element by element.
TEST_CASE("the packed GEMM writes grouped columns with a row bias and a ReLU", "[gemm]") {
  struct GroupedCase {
    GemmShape shape;
    int group_columns;
  };
  // {10, 1152, 25}: fast99's first convolution, two samples, a last tile of two rows.
  const GroupedCase cases[] = {{{8, 1152, 25}, 576}, {{10, 1152, 25}, 576}, {{16, 192, 200}, 64}, {{13, 70, 300}, 12},
                               {{5, 9, 1}, 4},      {{6, 20, 3}, 7}};
  for (const auto& [shape, group_columns] : cases) {
    for (const bool accumulate : {false, true}) {
      for (const bool relu : {false, true}) {
        for (const bool in_place : {false, true}) {
          const int m = shape.m, n = shape.n, k = shape.k;  // named copies: the packer below captures them
          INFO("m " << m << " n " << n << " k " << k << " groups of " << group_columns << " accumulate " << accumulate
                    << " relu " << relu << " in place " << in_place);
          Random rng(7);
          std::vector<float> a(static_cast<std::size_t>(m) * k), b(static_cast<std::size_t>(k) * n), bias(static_cast<std::size_t>(m));
          for (float& x : a) x = rng.uniform() * 2 - 1;
          for (float& x : b) x = rng.uniform() * 2 - 1;
          for (float& x : bias) x = rng.uniform() * 2 - 1;
          const int groups = (n + group_columns - 1) / group_columns;
          const std::size_t group_stride = static_cast<std::size_t>(m) * group_columns + 3;  // a gap between groups
          std::vector<float> c(group_stride * groups);
          for (float& x : c) x = rng.uniform() * 2 - 1;
          const std::vector<float> before = c;

          auto pack = [&](int p0, int kc, int j0, int nc, float* panels) {
            for (int jp = 0; jp < nc; jp += kGemmPanelColumns, panels += static_cast<std::size_t>(kc) * kGemmPanelColumns)
              for (int p = 0; p < kc; ++p)
                for (int col = 0; col < kGemmPanelColumns; ++col)
                  panels[p * kGemmPanelColumns + col] = jp + col < nc ? b[static_cast<std::size_t>(p0 + p) * n + j0 + jp + col] : 0.0f;
          };
          std::vector<int> row_offsets(static_cast<std::size_t>(k));
          for (int p = 0; p < k; ++p) row_offsets[static_cast<std::size_t>(p)] = p * n;
          auto origin = [&](int j) { return j / kGemmPanelColumns % 2 == 0 ? b.data() + j : nullptr; };
          const GemmDirectB direct{origin, row_offsets.data()};
          gemm_packed(shape, GemmOperand{a.data(), k, Transpose::no}, pack,
                      GemmOutput{c.data(), group_columns, group_columns, group_stride, accumulate, bias.data(), relu},
                      in_place ? &direct : nullptr);

          std::vector<float> product(static_cast<std::size_t>(m) * n);
          gemm_reference(shape, a.data(), k, Transpose::no, b.data(), n, Transpose::no, product.data(), n, false);
          std::vector<float> expected = before;
          for (int i = 0; i < m; ++i) {
            for (int j = 0; j < n; ++j) {
              float& out = expected[static_cast<std::size_t>(j / group_columns) * group_stride +
                                    static_cast<std::size_t>(i) * group_columns + j % group_columns];
              const float value = (accumulate ? out : 0.0f) + product[static_cast<std::size_t>(i) * n + j] + bias[static_cast<std::size_t>(i)];
              out = relu ? std::max(value, 0.0f) : value;
            }
          }
          double worst = 0;
          for (std::size_t i = 0; i < c.size(); ++i) worst = std::max(worst, std::abs(double(c[i]) - expected[i]));
          CHECK(worst < 1e-4);
        }
      }
    }
  }
}
