// Single-threaded matrix products on raw row-major buffers: C = op(A)·op(B), or C += op(A)·op(B).
//
// Eigen 3.4 has no WebAssembly SIMD code path: in the wasm builds its GEMM runs scalar code that the
// compiler vectorises only in part. gemm_packed is a register-blocked GEMM in the style of
// BLIS/XNNPACK written with 4-float vectors (GCC/Clang vector extensions: wasm simd128 in the
// browser, SSE natively), and gemm() uses it in the wasm builds and Eigen natively (where Eigen
// has AVX kernels). gemm_reference is the plain triple loop the others are tested against.
#pragma once

#include "core/function_ref.hpp"
#include "core/transpose.hpp"

#include <cstddef>
#include <vector>

namespace profundo {

// A row-major matrix used as a GEMM operand: its data, row stride, and whether it is used transposed.
struct GemmOperand {
  const float* data;
  int ld;
  Transpose transpose;
  bool transposed() const { return transpose == Transpose::yes; }
  // Element [row, column] of op(X).
  float at(int row, int column) const {
    return transposed() ? data[static_cast<std::size_t>(column) * ld + row] : data[static_cast<std::size_t>(row) * ld + column];
  }
  // The operand that starts at row `first` of op(X) (or at column `first`): a block for one thread.
  GemmOperand from_row(int first) const {
    return {data + (transposed() ? first : static_cast<std::size_t>(first) * ld), ld, transpose};
  }
  GemmOperand from_column(int first) const {
    return {data + (transposed() ? static_cast<std::size_t>(first) * ld : first), ld, transpose};
  }
};

struct GemmShape {
  int m = 0, n = 0, k = 0;  // op(A) is m×k, op(B) is k×n, C is m×n
};

// Whether gemm() runs gemm_packed (WebAssembly) rather than Eigen (native, which has AVX kernels).
#if defined(__wasm_simd128__)
constexpr bool kGemmPackedByDefault = true;
#else
constexpr bool kGemmPackedByDefault = false;
#endif

// The number of columns gemm_packed computes at once: a B packer (below) fills panels this wide.
constexpr int kGemmPanelColumns = 8;

// Fills rows [p0, p0 + kc) × columns [j0, j0 + nc) of op(B) as panels of kGemmPanelColumns columns,
// each stored row by row (panel[p·kGemmPanelColumns + column]), zero past column nc. A packer can
// compute B while it packs, as a convolution's im2col does, so that B is never stored whole.
using GemmPackB = FunctionRef<void(int p0, int kc, int j0, int nc, float* panels)>;

// Where gemm_packed puts C[i, j] and what it does to it on the way. Columns come in groups of
// group_columns: C[i, j] is data[(j / group_columns)·group_stride + i·ldc + j % group_columns] (a
// convolution's output [N, K, OH·OW] is one group per sample; a plain matrix is one group). Then
// C = op(A)·op(B) (+ C if accumulate) (+ row_bias[i] if given), and max(0, C) if relu.
struct GemmScatterC;
struct GemmOutput {
  float* data;
  int ldc;
  int group_columns;
  std::size_t group_stride = 0;
  bool accumulate = false;
  const float* row_bias = nullptr;
  bool relu = false;
  const GemmScatterC* scatter = nullptr;  // when given, C goes there instead (data, ldc, groups unused)
};

// C added (never stored) where its rows lie as kGemmPanelColumns consecutive floats: the adjoint of
// GemmDirectB, a convolution's dx = col2im(Wᵀ·dY) without the column matrix. Row i of the full
// panel at column j is added at origin(j) + row_offsets[i]; where origin(j) is nullptr, and for
// tiles of fewer rows, add_tile(i, rows, j, columns, tile) adds C[i + r, j + col] = tile[r·
// kGemmPanelColumns + col] itself. Rows may overlap: they are added one after another.
struct GemmScatterC {
  FunctionRef<float*(int j)> origin;
  const int* row_offsets;
  FunctionRef<void(int i, int rows, int j, int columns, const float* tile)> add_tile;
};

// Panels of op(B) that need no packing because their rows already lie in memory as
// kGemmPanelColumns consecutive floats (a stride-1 convolution's interior: each patch element's
// eight pixels): origin(j) says where the full-width panel at column j starts, its row p (of op(B))
// at origin + row_offsets[p]; or nullptr, and that panel is packed.
struct GemmDirectB {
  FunctionRef<const float*(int j)> origin;
  const int* row_offsets;
};

void gemm_packed(GemmShape shape, const GemmOperand& a, GemmPackB pack_b, const GemmOutput& c,
                 const GemmDirectB* direct_b = nullptr);

// op(B) packed once as the panels gemm_packed reads, for a B that many products share (a recurrent
// layer's W_h, one product per time step): panel q (columns [8q, 8q + 8)) is k rows of
// kGemmPanelColumns floats at panels + q·k·kGemmPanelColumns, zero past column n.
struct GemmPackedB {
  std::vector<float> panels;
  int k = 0, n = 0;
  void pack(const GemmOperand& b, int rows, int columns);  // op(B) is rows × columns
};
void gemm_packed(GemmShape shape, const GemmOperand& a, const GemmPackedB& b, const GemmOutput& c);

// B as a plain operand, packed by the GEMM itself.
void gemm_packed(GemmShape shape, const GemmOperand& a, const GemmOperand& b, const GemmOutput& c);

// The packing buffers gemm_packed uses on a thread, made once for its largest block (0.6 MB), so
// products in steady state allocate nothing. A thread uses the scratch it adopted, else one of its
// own made at its first product. A thread pool makes its workers' scratch as it is built and each
// worker adopts its own as it starts: a worker may start, and meet its first product, long after
// the steps that warmed up the calling thread, and would allocate there.
struct GemmScratch {
  GemmScratch();
  std::vector<float> a, b;
};
// From now on the calling thread packs into `scratch` (which must outlive its products).
void adopt_gemm_scratch(GemmScratch* scratch);

// A is read as op(A)[i, p] = transpose_a == yes ? a[p·lda + i] : a[i·lda + p]; likewise B; C[i, j] = c[i·ldc + j].
void gemm(GemmShape shape, const float* a, int lda, Transpose transpose_a, const float* b, int ldb,
          Transpose transpose_b, float* c, int ldc, bool accumulate);

void gemm_packed(GemmShape shape, const float* a, int lda, Transpose transpose_a, const float* b, int ldb,
                 Transpose transpose_b, float* c, int ldc, bool accumulate);

void gemm_eigen(GemmShape shape, const float* a, int lda, Transpose transpose_a, const float* b, int ldb,
                Transpose transpose_b, float* c, int ldc, bool accumulate);

void gemm_reference(GemmShape shape, const float* a, int lda, Transpose transpose_a, const float* b, int ldb,
                    Transpose transpose_b, float* c, int ldc, bool accumulate);

}  // namespace profundo
