// Plain-loops 2-D convolution (cross-correlation, as in every framework), the reference the fast
// im2col + GEMM path of Conv2d is tested against. Accumulates in double; slow on purpose.
//   x [N, C, H, W], weight [K, C, k, k], bias [K] -> y [N, K, OH, OW]
//   y[n, o, i, j] = b[o] + Σ_c Σ_p Σ_q W[o, c, p, q] · x[n, c, i·s − top + p, j·s − left + q]
// with x = 0 outside the image (the padding of padding.hpp).
#pragma once

#include "core/tensor.hpp"
#include "layers/padding.hpp"

namespace profundo {

// y is resized to [N, K, OH, OW] and overwritten.
void conv2d_reference_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, int stride, Padding padding,
                              Tensor& y);

// dy [N, K, OH, OW]. dx, dweight, dbias are resized (like x, weight, [K]) and overwritten
// (not accumulated).
void conv2d_reference_backward(const Tensor& x, const Tensor& weight, const Tensor& dy, int stride, Padding padding,
                               Tensor& dx, Tensor& dweight, Tensor& dbias);

}  // namespace profundo
