#include "core/gemm.hpp"

#include "core/f32x4.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace profundo {

namespace {

// The micro-tile: MR rows × NR columns of C held in 8 vector registers (x86 gives wasm SIMD 16).
// Measured in Node (wasm): 4×8 and 4×12 equal, 6×8 and 8×8 slower on the thin conv shapes.
constexpr int kMR = 4;
constexpr int kNR = kGemmPanelColumns;
// Blocks: a KC×NR slice of B (8 KB) stays in L1 while it meets every MC×KC block of A (L2).
constexpr int kKC = 256;
constexpr int kMC = 120;
static_assert(kMC % kMR == 0);
constexpr int kNC = 512;
static_assert(kNC % kNR == 0);

// Rows [i0, i0 + mc) × columns [p0, p0 + kc) of op(A), as panels of kMR rows stored column by
// column (panel[p·MR + r]); rows past mc are zero.
void pack_a(const GemmOperand& a, int i0, int mc, int p0, int kc, float* out) {
  for (int ip = 0; ip < mc; ip += kMR) {
    const int mr = std::min(kMR, mc - ip);
    if (!a.transposed()) {
      for (int r = 0; r < mr; ++r) {
        const float* row = a.data + static_cast<std::size_t>(i0 + ip + r) * a.ld + p0;
        for (int p = 0; p < kc; ++p) out[p * kMR + r] = row[p];
      }
    } else {
      for (int p = 0; p < kc; ++p) {
        const float* column = a.data + static_cast<std::size_t>(p0 + p) * a.ld + i0 + ip;
        for (int r = 0; r < mr; ++r) out[p * kMR + r] = column[r];
      }
    }
    for (int r = mr; r < kMR; ++r)
      for (int p = 0; p < kc; ++p) out[p * kMR + r] = 0.0f;
    out += static_cast<std::size_t>(kc) * kMR;
  }
}

// Rows [p0, p0 + kc) × columns [j0, j0 + nc) of op(B), as panels of kNR columns stored row by
// row (panel[p·NR + c]); columns past nc are zero.
void pack_b(const GemmOperand& b, int p0, int kc, int j0, int nc, float* out) {
  for (int jp = 0; jp < nc; jp += kNR) {
    const int nr = std::min(kNR, nc - jp);
    if (!b.transposed()) {
      for (int p = 0; p < kc; ++p) {
        const float* row = b.data + static_cast<std::size_t>(p0 + p) * b.ld + j0 + jp;
        float* dst = out + p * kNR;
        if (nr == kNR) {
          std::memcpy(dst, row, sizeof(float) * kNR);
        } else {
          for (int c = 0; c < nr; ++c) dst[c] = row[c];
          for (int c = nr; c < kNR; ++c) dst[c] = 0.0f;
        }
      }
    } else {
      for (int c = 0; c < nr; ++c) {
        const float* column = b.data + static_cast<std::size_t>(j0 + jp + c) * b.ld + p0;
        for (int p = 0; p < kc; ++p) out[p * kNR + c] = column[p];
      }
      for (int c = nr; c < kNR; ++c)
        for (int p = 0; p < kc; ++p) out[p * kNR + c] = 0.0f;
    }
    out += static_cast<std::size_t>(kc) * kNR;
  }
}

// What the micro-kernel does to its tile after the products: add what C held, add a bias per row,
// clamp at zero. Bias and clamp apply once, with the last block of the inner dimension.
struct TileEpilogue {
  bool accumulate = false;
  const float* row_bias = nullptr;  // kMR values, or none
  bool relu = false;
  const int* row_offsets = nullptr;  // row r of the tile at tile + row_offsets[r] (else at r·ldc)
};

// Where the micro-kernel reads a panel of B: row p at rows + p·kNR (packed) or at rows +
// row_offsets[p] (in place, see GemmDirectB).
struct PanelB {
  const float* rows;
  const int* row_offsets = nullptr;
};

// tile (kMR × kNR, row stride ldc) = packed A panel · B panel over kc, then the epilogue.
// noinline: inlined into the blocking loops, clang reorders this loop and keeps the accumulators in
// memory; on its own it stays register-blocked (measured 1.7× faster in wasm).
template <bool kInPlace, bool kRowOffsets>
__attribute__((noinline)) void micro_kernel(int kc, const float* a, PanelB b, float* tile, int ldc,
                                            const TileEpilogue& epilogue) {
  f32x4 sum[kMR][2];
  for (int r = 0; r < kMR; ++r) sum[r][0] = sum[r][1] = splat4(0.0f);
  for (int p = 0; p < kc; ++p) {
    const float* row = kInPlace ? b.rows + b.row_offsets[p] : b.rows + p * kNR;
    const f32x4 b0 = load4(row);
    const f32x4 b1 = load4(row + 4);
    for (int r = 0; r < kMR; ++r) {
      const f32x4 ar = splat4(a[r]);
      sum[r][0] += ar * b0;
      sum[r][1] += ar * b1;
    }
    a += kMR;
  }
  for (int r = 0; r < kMR; ++r) {
    float* row = tile + (kRowOffsets ? epilogue.row_offsets[r] : static_cast<std::ptrdiff_t>(r) * ldc);
    if (epilogue.accumulate) {
      sum[r][0] += load4(row);
      sum[r][1] += load4(row + 4);
    }
    if (epilogue.row_bias != nullptr) {
      sum[r][0] += splat4(epilogue.row_bias[r]);
      sum[r][1] += splat4(epilogue.row_bias[r]);
    }
    if (epilogue.relu) {
      sum[r][0] = sum[r][0] > 0.0f ? sum[r][0] : 0.0f;
      sum[r][1] = sum[r][1] > 0.0f ? sum[r][1] : 0.0f;
    }
    store4(row, sum[r][0]);
    store4(row + 4, sum[r][1]);
  }
}

// The calling thread's scratch (a plain pointer: setting it allocates nothing), else its own.
thread_local GemmScratch* adopted_scratch = nullptr;
GemmScratch& thread_scratch() {
  if (adopted_scratch == nullptr) {
    thread_local GemmScratch own;
    adopted_scratch = &own;
  }
  return *adopted_scratch;
}

void run_micro_kernel(int kc, const float* a, PanelB b, float* tile, int ldc, const TileEpilogue& epilogue) {
  const bool in_place = b.row_offsets != nullptr;
  if (epilogue.row_offsets != nullptr) {
    if (in_place) micro_kernel<true, true>(kc, a, b, tile, ldc, epilogue);
    else micro_kernel<false, true>(kc, a, b, tile, ldc, epilogue);
  } else {
    if (in_place) micro_kernel<true, false>(kc, a, b, tile, ldc, epilogue);
    else micro_kernel<false, false>(kc, a, b, tile, ldc, epilogue);
  }
}

// The address of C[i, j] under a grouped layout (see GemmOutput).
float* output_address(const GemmOutput& c, int i, int j) {
  const int group = j / c.group_columns;
  return c.data + static_cast<std::size_t>(group) * c.group_stride + static_cast<std::size_t>(i) * c.ldc +
         (j - group * c.group_columns);
}

}  // namespace

// Made for the largest block, not grown on demand: which pool thread packs which block changes from
// step to step, and a thread meeting a larger block for the first time would allocate long after
// warm-up (the wasm threads build's allocation test saw it).
GemmScratch::GemmScratch()
    : a(static_cast<std::size_t>(kMC) * kKC),  // kMC is a multiple of kMR
      b(static_cast<std::size_t>(kNC) * kKC) {}  // kNC is a multiple of kNR

void adopt_gemm_scratch(GemmScratch* scratch) { adopted_scratch = scratch; }

namespace {

// The blocked product behind every gemm_packed: B's panels come packed by pack_b, read in place
// (direct_b), or packed beforehand for the whole of op(B) (prepacked, see GemmPackedB).
void gemm_blocks(GemmShape shape, const GemmOperand& a, GemmPackB pack_b, const GemmOutput& c, const GemmDirectB* direct_b,
                 const float* prepacked) {
  const auto [m, n, k] = shape;
  if (m <= 0 || n <= 0) return;
  GemmScratch& scratch = thread_scratch();
  float* packed_a = scratch.a.data();
  float* packed_b = scratch.b.data();
  float edge[kMR * kNR];

  for (int j0 = 0; j0 < n; j0 += kNC) {
    const int nc = std::min(kNC, n - j0);
    // With k = 0 one pass of empty blocks still writes C = 0 (+ C) (+ bias), clamped.
    for (int p0 = 0; p0 < std::max(k, 1); p0 += kKC) {
      const int kc = std::max(0, std::min(kKC, k - p0));
      const bool last = p0 + kKC >= k;
      // Later K blocks add to what the first wrote; a scatter always adds.
      const TileEpilogue full{c.accumulate || p0 > 0 || c.scatter != nullptr, nullptr, last && c.relu};
      // Each panel of this block: read in place where the caller allows, else packed.
      PanelB panels[kNC / kNR];
      for (int jp = 0; jp < nc; jp += kNR) {
        const int nr = std::min(kNR, nc - jp);
        PanelB& panel = panels[jp / kNR];
        if (prepacked != nullptr) {
          panel = PanelB{prepacked + (static_cast<std::size_t>(j0 + jp) * k + static_cast<std::size_t>(p0) * kNR)};
          continue;
        }
        panel.rows = direct_b != nullptr && nr == kNR && kc > 0 ? direct_b->origin(j0 + jp) : nullptr;
        if (panel.rows != nullptr) {
          panel.row_offsets = direct_b->row_offsets + p0;
        } else {
          panel = PanelB{packed_b + static_cast<std::size_t>(jp) * kc};
          if (kc > 0 && direct_b != nullptr) pack_b(p0, kc, j0 + jp, nr, packed_b + static_cast<std::size_t>(jp) * kc);
        }
      }
      if (kc > 0 && direct_b == nullptr && prepacked == nullptr) pack_b(p0, kc, j0, nc, packed_b);
      for (int i0 = 0; i0 < m; i0 += kMC) {
        const int mc = std::min(kMC, m - i0);
        if (kc > 0) pack_a(a, i0, mc, p0, kc, packed_a);
        for (int jp = 0; jp < nc; jp += kNR) {
          const int nr = std::min(kNR, nc - jp);
          const int j = j0 + jp;
          const PanelB& panel_b = panels[jp / kNR];
          if (c.scatter != nullptr) {
            float* origin = nr == kNR ? c.scatter->origin(j) : nullptr;
            for (int ip = 0; ip < mc; ip += kMR) {
              const int mr = std::min(kMR, mc - ip);
              const int i = i0 + ip;
              const float* panel_a = packed_a + static_cast<std::size_t>(ip) * kc;
              if (origin != nullptr && mr == kMR) {
                TileEpilogue epilogue = full;
                epilogue.row_offsets = c.scatter->row_offsets + i;
                run_micro_kernel(kc, panel_a, panel_b, origin, 0, epilogue);
              } else {
                run_micro_kernel(kc, panel_a, panel_b, edge, kNR, TileEpilogue{});
                c.scatter->add_tile(i, mr, j, nr, edge);
              }
            }
            continue;
          }
          // One division per column panel, none per tile: the recurrent layers' per-step products are small.
          const int group = j / c.group_columns;
          const int in_group = j - group * c.group_columns;
          float* panel_c = c.data + static_cast<std::size_t>(group) * c.group_stride + in_group;
          for (int ip = 0; ip < mc; ip += kMR) {
            const int mr = std::min(kMR, mc - ip);
            const int i = i0 + ip;
            const float* panel_a = packed_a + static_cast<std::size_t>(ip) * kc;
            const float* bias = last && c.row_bias != nullptr ? c.row_bias + i : nullptr;
            if (mr == kMR && nr == kNR && in_group + kNR <= c.group_columns) {
              TileEpilogue epilogue = full;
              epilogue.row_bias = bias;
              run_micro_kernel(kc, panel_a, panel_b, panel_c + static_cast<std::size_t>(i) * c.ldc, c.ldc, epilogue);
            } else if (nr == kNR && in_group + kNR <= c.group_columns) {  // the last rows of C: a vector per row
              run_micro_kernel(kc, panel_a, panel_b, edge, kNR, TileEpilogue{});
              for (int r = 0; r < mr; ++r) {
                float* out = panel_c + static_cast<std::size_t>(i + r) * c.ldc;
                for (int half = 0; half < kNR; half += 4) {
                  f32x4 value = load4(edge + r * kNR + half);
                  if (full.accumulate) value += load4(out + half);
                  if (bias != nullptr) value += splat4(bias[r]);
                  if (full.relu) value = value > 0.0f ? value : 0.0f;
                  store4(out + half, value);
                }
              }
            } else {  // an edge tile, or one across two groups: compute it whole, place what is inside C
              run_micro_kernel(kc, panel_a, panel_b, edge, kNR, TileEpilogue{});
              for (int r = 0; r < mr; ++r) {
                for (int col = 0; col < nr; ++col) {
                  float* out = output_address(c, i + r, j + col);
                  float value = (full.accumulate ? *out : 0.0f) + edge[r * kNR + col] + (bias ? bias[r] : 0.0f);
                  *out = full.relu && !(value > 0.0f) ? 0.0f : value;
                }
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace

void gemm_packed(GemmShape shape, const GemmOperand& a, GemmPackB pack_b, const GemmOutput& c, const GemmDirectB* direct_b) {
  gemm_blocks(shape, a, pack_b, c, direct_b, nullptr);
}

void GemmPackedB::pack(const GemmOperand& b, int rows, int columns) {
  k = rows;
  n = columns;
  panels.resize(static_cast<std::size_t>(k) * ((n + kNR - 1) / kNR * kNR));
  pack_b(b, 0, k, 0, n, panels.data());
}

void gemm_packed(GemmShape shape, const GemmOperand& a, const GemmPackedB& b, const GemmOutput& c) {
  if (shape.k != b.k || shape.n != b.n) throw std::invalid_argument("gemm_packed: the packed B does not have the product's shape");
  auto unused = [](int, int, int, int, float*) {};
  gemm_blocks(shape, a, unused, c, nullptr, b.panels.data());
}

void gemm_packed(GemmShape shape, const float* a_data, int lda, Transpose transpose_a, const float* b_data, int ldb,
                 Transpose transpose_b, float* c, int ldc, bool accumulate) {
  gemm_packed(shape, GemmOperand{a_data, lda, transpose_a}, GemmOperand{b_data, ldb, transpose_b},
              GemmOutput{c, ldc, std::max(shape.n, 1), 0, accumulate});
}

void gemm_packed(GemmShape shape, const GemmOperand& a, const GemmOperand& b, const GemmOutput& c) {
  auto pack = [&](int p0, int kc, int j0, int nc, float* panels) { pack_b(b, p0, kc, j0, nc, panels); };
  gemm_packed(shape, a, pack, c);
}

namespace {

// Eigen computes a row-major C = A·B as the column-major Cᵀ = Bᵀ·Aᵀ and packs a block of kc × (columns
// of C) floats of Bᵀ. When it leaves those columns unblocked (a depth above its kc, e.g. the
// [H, T·N]·[T·N, 4H] weight gradient of a recurrent layer) the block grows with the width of C and
// goes from the stack to the heap past EIGEN_STACK_ALLOCATION_LIMIT (engine/CMakeLists.txt): such
// products run in panels of at most this many columns. Narrower products run whole, as before.
Eigen::Index eigen_panel_columns(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth) {
  Eigen::Index kc = depth, mc = cols, nc = rows;  // Eigen's names, for Cᵀ
  Eigen::internal::computeProductBlockingSizes<float, float, 1>(kc, mc, nc, Eigen::Index(1));
  constexpr Eigen::Index kLimitFloats = EIGEN_STACK_ALLOCATION_LIMIT / sizeof(float);
  if (kc * cols <= kLimitFloats) return cols;
  return std::max<Eigen::Index>(16, kLimitFloats / kc / 16 * 16);  // whole SIMD registers per panel
}

}  // namespace

void gemm_eigen(GemmShape shape, const float* a, int lda, Transpose transpose_a, const float* b, int ldb,
                Transpose transpose_b, float* c, int ldc, bool accumulate) {
  using Stride = Eigen::OuterStride<>;
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ColMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  const int m = shape.m, n = shape.n, k = shape.k;  // named copies: lambdas below capture them
  Eigen::Map<RowMajor, Eigen::Unaligned, Stride> out(c, m, n, Stride(ldc));
  // A transposed row-major m×k operand is a column-major m×k matrix over the same memory.
  auto run = [&](const auto& lhs, const auto& rhs) {
    const Eigen::Index panel = eigen_panel_columns(m, n, k);
    for (Eigen::Index j = 0; j < n; j += panel) {
      const Eigen::Index width = std::min<Eigen::Index>(panel, n - j);
      auto out_panel = out.middleCols(j, width);
      if (accumulate) out_panel.noalias() += lhs * rhs.middleCols(j, width);
      else out_panel.noalias() = lhs * rhs.middleCols(j, width);
    }
  };
  auto with_lhs = [&](const auto& lhs) {
    if (transpose_b == Transpose::yes) run(lhs, Eigen::Map<const ColMajor, Eigen::Unaligned, Stride>(b, k, n, Stride(ldb)));
    else run(lhs, Eigen::Map<const RowMajor, Eigen::Unaligned, Stride>(b, k, n, Stride(ldb)));
  };
  if (transpose_a == Transpose::yes) with_lhs(Eigen::Map<const ColMajor, Eigen::Unaligned, Stride>(a, m, k, Stride(lda)));
  else with_lhs(Eigen::Map<const RowMajor, Eigen::Unaligned, Stride>(a, m, k, Stride(lda)));
}

void gemm_reference(GemmShape shape, const float* a_data, int lda, Transpose transpose_a, const float* b_data, int ldb,
                    Transpose transpose_b, float* c, int ldc, bool accumulate) {
  const GemmOperand a{a_data, lda, transpose_a};
  const GemmOperand b{b_data, ldb, transpose_b};
  for (int i = 0; i < shape.m; ++i) {
    for (int j = 0; j < shape.n; ++j) {
      double sum = 0.0;
      for (int p = 0; p < shape.k; ++p) sum += static_cast<double>(a.at(i, p)) * b.at(p, j);
      float& out = c[static_cast<std::size_t>(i) * ldc + j];
      out = static_cast<float>(accumulate ? out + sum : sum);
    }
  }
}

void gemm(GemmShape shape, const float* a, int lda, Transpose transpose_a, const float* b, int ldb,
          Transpose transpose_b, float* c, int ldc, bool accumulate) {
  if constexpr (kGemmPackedByDefault) gemm_packed(shape, a, lda, transpose_a, b, ldb, transpose_b, c, ldc, accumulate);
  else gemm_eigen(shape, a, lda, transpose_a, b, ldb, transpose_b, c, ldc, accumulate);
}

}  // namespace profundo
