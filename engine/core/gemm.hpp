// Single-threaded matrix products on raw row-major buffers: C = op(A)·op(B), or C += op(A)·op(B).
//
// Eigen 3.4 has no WebAssembly SIMD code path: in the wasm builds its GEMM runs scalar code that the
// compiler vectorises only in part. gemm_packed is a register-blocked GEMM in the style of
// BLIS/XNNPACK written with 4-float vectors (GCC/Clang vector extensions: wasm simd128 in the
// browser, SSE natively), and gemm() uses it in the wasm builds and Eigen natively (where Eigen
// has AVX kernels). gemm_reference is the plain triple loop the others are tested against.
#pragma once

#include "core/transpose.hpp"

#include <cstddef>

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
