// e^x, σ(x) = 1 / (1 + e^−x) and tanh(x) over float arrays, several floats at a time.
//
// Eigen 3.4 has no WebAssembly SIMD code path, so in the wasm builds its .exp() and .tanh() ran one
// float at a time through libm (the char-LSTM in wasm was 26 % of native). These kernels are
// written once with GCC/Clang vector extensions: 4 floats (wasm simd128) in the browser, 8 or 16
// natively (AVX, AVX-512). Cephes' single-precision algorithms (Moshier), evaluated branch-free on
// whole vectors:
//   exp   x = n·ln2 + r, |r| ≤ ln2/2; e^r by a degree-7 polynomial; times 2^n, applied as two
//         powers of two so that results down to the subnormals and up to overflow come out right.
//   σ     with s = e^−|x| and d = 1/(1 + s): d for x ≥ 0, s·d for x < 0 (no cancellation, and
//         accurate down to the subnormals far left).
//   tanh  Eigen's rational approximation (odd degree 13 over even degree 6) of |x|, 1 past 9, the
//         sign copied from x: in wasm twice as fast as 1 − 2/(e^2|x| + 1), which was 1 ulp.
//
// Maximum error against the correctly rounded result (libm in double), in ulps (the distance in the
// ordered sequence of floats): exp 1 ulp, σ 3 ulp over every 97th of the 2^32 bit patterns and the
// edges of every range, with 4, 8 and 16 lanes alike; tanh 7 ulp over all 2^32 (4 lanes, no FMA,
// as in wasm). Results below FLT_MIN are subnormals, not flushed. tests/native/test_vector_math.cpp checks these bounds in every build.
// NaN gives NaN; exp(−Inf) = 0, exp(+Inf) = +Inf, σ(±Inf) = 1 or 0,
// tanh(±Inf) = ±1, tanh(±0) = ±0; inputs past saturation give exactly 0, 1 or ±1.
//
// The *_reference functions are the plain scalar versions (libm, in double) they are tested against.
#pragma once

namespace profundo {

// y[i] = f(x[i]) for i < count; y may be x.
void vector_exp(const float* x, int count, float* y);
void vector_sigmoid(const float* x, int count, float* y);
void vector_tanh(const float* x, int count, float* y);

// sums[j] += Σ_r x[r·row_stride + j] for j < columns: the column sums of a row-major [rows, columns]
// matrix (a bias gradient: the sum of its layer's output gradient over the rows), a block of
// columns at a time down the rows, the sums in registers. Eigen's colwise().sum() on a row-major
// matrix walks each column down the rows, one float at a time in wasm.
void add_column_sums(const float* x, int rows, int columns, int row_stride, float* sums);

float exp_reference(float x);
float sigmoid_reference(float x);
float tanh_reference(float x);

}  // namespace profundo
