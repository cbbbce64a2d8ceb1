#include "layers/conv2d_reference.hpp"

#include <stdexcept>
#include <vector>

namespace profundo {

namespace {

struct Geometry {
  int n, c, h, w, k, kernel, oh, ow, top, left;
};

Geometry geometry(const Tensor& x, const Tensor& weight, int stride, Padding padding) {
  if (x.rank() != 4 || weight.rank() != 4 || weight.dim(1) != x.dim(1) || weight.dim(2) != weight.dim(3)) {
    throw std::invalid_argument("conv2d_reference: expected x [N, C, H, W] and weight [K, C, k, k], got " +
                                to_string(x.shape()) + " and " + to_string(weight.shape()));
  }
  const int kernel = weight.dim(2);
  const AxisExtent rows = axis_extent(x.dim(2), kernel, stride, padding, "conv2d_reference");
  const AxisExtent cols = axis_extent(x.dim(3), kernel, stride, padding, "conv2d_reference");
  return {x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), kernel, rows.output, cols.output, rows.before,
          cols.before};
}

}  // namespace

void conv2d_reference_forward(const Tensor& x, const Tensor& weight, const Tensor& bias, int stride, Padding padding,
                              Tensor& y) {
  const Geometry g = geometry(x, weight, stride, padding);
  y.resize({g.n, g.k, g.oh, g.ow});
  for (int n = 0; n < g.n; ++n)
    for (int o = 0; o < g.k; ++o)
      for (int i = 0; i < g.oh; ++i)
        for (int j = 0; j < g.ow; ++j) {
          double sum = bias[static_cast<std::size_t>(o)];
          for (int c = 0; c < g.c; ++c)
            for (int p = 0; p < g.kernel; ++p)
              for (int q = 0; q < g.kernel; ++q) {
                const int r = i * stride - g.top + p;
                const int s = j * stride - g.left + q;
                if (r < 0 || r >= g.h || s < 0 || s >= g.w) continue;
                sum += static_cast<double>(weight[((static_cast<std::size_t>(o) * g.c + c) * g.kernel + p) * g.kernel + q]) *
                       x[((static_cast<std::size_t>(n) * g.c + c) * g.h + r) * g.w + s];
              }
          y[((static_cast<std::size_t>(n) * g.k + o) * g.oh + i) * g.ow + j] = static_cast<float>(sum);
        }
}

void conv2d_reference_backward(const Tensor& x, const Tensor& weight, const Tensor& dy, int stride, Padding padding,
                               Tensor& dx, Tensor& dweight, Tensor& dbias) {
  const Geometry g = geometry(x, weight, stride, padding);
  if (dy.shape() != Shape{g.n, g.k, g.oh, g.ow}) {
    throw std::invalid_argument("conv2d_reference: dy has shape " + to_string(dy.shape()));
  }
  std::vector<double> gx(x.size(), 0.0), gw(weight.size(), 0.0), gb(static_cast<std::size_t>(g.k), 0.0);
  for (int n = 0; n < g.n; ++n)
    for (int o = 0; o < g.k; ++o)
      for (int i = 0; i < g.oh; ++i)
        for (int j = 0; j < g.ow; ++j) {
          const double d = dy[((static_cast<std::size_t>(n) * g.k + o) * g.oh + i) * g.ow + j];
          gb[static_cast<std::size_t>(o)] += d;
          for (int c = 0; c < g.c; ++c)
            for (int p = 0; p < g.kernel; ++p)
              for (int q = 0; q < g.kernel; ++q) {
                const int r = i * stride - g.top + p;
                const int s = j * stride - g.left + q;
                if (r < 0 || r >= g.h || s < 0 || s >= g.w) continue;
                const std::size_t xi = ((static_cast<std::size_t>(n) * g.c + c) * g.h + r) * g.w + s;
                const std::size_t wi = ((static_cast<std::size_t>(o) * g.c + c) * g.kernel + p) * g.kernel + q;
                gx[xi] += d * weight[wi];
                gw[wi] += d * x[xi];
              }
        }
  dx.resize(x.shape());
  dweight.resize(weight.shape());
  dbias.resize({g.k});
  for (std::size_t i = 0; i < gx.size(); ++i) dx[i] = static_cast<float>(gx[i]);
  for (std::size_t i = 0; i < gw.size(); ++i) dweight[i] = static_cast<float>(gw[i]);
  for (std::size_t i = 0; i < gb.size(); ++i) dbias[i] = static_cast<float>(gb[i]);
}

}  // namespace profundo
