#include "layers/conv2d.hpp"

#include "core/f32x4.hpp"
#include "core/gemm.hpp"
#include "layers/activation.hpp"
#include "layers/batch_norm.hpp"
#include "layers/pool2d.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace profundo {

namespace {

using RowMajorMap = Eigen::Map<Matrix>;
using ConstRowMajorMap = Eigen::Map<const Matrix>;

// A GEMM of g samples has g·OH·OW columns: enough of them keep the vector units busy, while the
// column buffer should stay well inside the L2 cache.
constexpr int kTargetColumns = 1024;  // 512 to 2048 measured within noise on tfjs-cnn and keras-cnn
constexpr std::size_t kMaxColumnFloats = std::size_t{1} << 18;  // 1 MiB

std::string positive(const std::string& what, int value) {
  return "conv2d: " + what + " must be positive, got " + std::to_string(value);
}

// Output positions [first, last) along one axis whose input index o·stride − pad + offset lies in
// [0, size), for every kernel offset.
void valid_ranges(int size, int outputs, int kernel, int stride, int pad, std::vector<int>& first,
                  std::vector<int>& last) {
  first.assign(static_cast<std::size_t>(kernel), 0);
  last.assign(static_cast<std::size_t>(kernel), 0);
  for (int offset = 0; offset < kernel; ++offset) {
    int lo = 0;
    while (lo < outputs && lo * stride - pad + offset < 0) ++lo;
    int hi = outputs;
    while (hi > lo && (hi - 1) * stride - pad + offset >= size) --hi;
    first[static_cast<std::size_t>(offset)] = lo;
    last[static_cast<std::size_t>(offset)] = hi;
  }
}

// Patch element r = (c·k + p)·k + q of a k×k kernel as (c, p, q), stepped in that order.
struct PatchElement {
  int c, p, q, kernel;
  PatchElement(int r, int k) : c(r / (k * k)), p(r / k % k), q(r % k), kernel(k) {}
  void next() {
    if (++q < kernel) return;
    q = 0;
    if (++p == kernel) p = 0, ++c;
  }
};

// Four rows of a colᵀ panel whose positions are four consecutive pixels x0, x0 + 1, x0 + 2, x0 + 3
// (four output columns at stride 1, every patch inside the image): each patch element's four values
// are then one vector, and two 4×4 transposes turn the eight vectors into the four rows.
void pack_four_transposed_rows(const float* x0, const int* offset, float* dst) {
  constexpr int kPanel = kGemmPanelColumns;
  for (int half = 0; half < kPanel; half += 4) {
    const f32x4 a = load4(x0 + offset[half]), b = load4(x0 + offset[half + 1]);
    const f32x4 c = load4(x0 + offset[half + 2]), d = load4(x0 + offset[half + 3]);
    const f32x4 ab01 = __builtin_shufflevector(a, b, 0, 4, 1, 5), ab23 = __builtin_shufflevector(a, b, 2, 6, 3, 7);
    const f32x4 cd01 = __builtin_shufflevector(c, d, 0, 4, 1, 5), cd23 = __builtin_shufflevector(c, d, 2, 6, 3, 7);
    store4(dst + half, __builtin_shufflevector(ab01, cd01, 0, 1, 4, 5));
    store4(dst + kPanel + half, __builtin_shufflevector(ab01, cd01, 2, 3, 6, 7));
    store4(dst + 2 * kPanel + half, __builtin_shufflevector(ab23, cd23, 0, 1, 4, 5));
    store4(dst + 3 * kPanel + half, __builtin_shufflevector(ab23, cd23, 2, 3, 6, 7));
  }
}

}  // namespace

Conv2d::Conv2d(Shape input_shape, int out_channels, int kernel_size, int stride, Padding padding, Init weight_init,
               float bias_value)
    : out_channels_(out_channels),
      kernel_(kernel_size),
      stride_(stride),
      padding_(padding),
      weight_init_(weight_init),
      bias_value_(bias_value) {
  if (input_shape.size() != 3) {
    throw std::invalid_argument("conv2d: input shape must be [channels, height, width], got " + to_string(input_shape));
  }
  in_channels_ = input_shape[0];
  in_height_ = input_shape[1];
  in_width_ = input_shape[2];
  if (in_channels_ <= 0) throw std::invalid_argument(positive("input channels", in_channels_));
  if (in_height_ <= 0 || in_width_ <= 0) {
    throw std::invalid_argument("conv2d: input height and width must be positive, got " + to_string(input_shape));
  }
  if (out_channels <= 0) throw std::invalid_argument(positive("filters (out_channels)", out_channels));
  if (kernel_size <= 0) throw std::invalid_argument(positive("kernel_size", kernel_size));
  if (stride <= 0) throw std::invalid_argument(positive("stride", stride));
  const AxisExtent rows = axis_extent(in_height_, kernel_, stride_, padding_, "conv2d (height)");
  const AxisExtent cols = axis_extent(in_width_, kernel_, stride_, padding_, "conv2d (width)");
  out_height_ = rows.output;
  out_width_ = cols.output;
  pad_top_ = rows.before;
  pad_left_ = cols.before;
  patch_ = in_channels_ * kernel_ * kernel_;
  pixels_ = out_height_ * out_width_;
  valid_ranges(in_height_, out_height_, kernel_, stride_, pad_top_, first_valid_row_, last_valid_row_);
  valid_ranges(in_width_, out_width_, kernel_, stride_, pad_left_, first_valid_col_, last_valid_col_);
  for (int c = 0; c < in_channels_; ++c)
    for (int p = 0; p < kernel_; ++p)
      for (int q = 0; q < kernel_; ++q) patch_offsets_.push_back((c * in_height_ + p) * in_width_ + q);
  for (int p = 0; p < kernel_; ++p)
    for (int q = 0; q < kernel_; ++q)
      for (int c = 0; c < in_channels_; ++c) position_offsets_.push_back((c * in_height_ + p) * in_width_ + q);
  direct_weight_gradient_ = kGemmPackedByDefault && in_channels_ == 1 && direct_weight_gradient_possible();
  if (pixels_ % kGemmPanelColumns == 0) {  // a sample's panels repeat in every sample
    int in_place = 0;
    for (int j = 0; j < pixels_; j += kGemmPanelColumns) in_place += panel_in_place(j) >= 0;
    dx_in_place_ = in_place * kGemmPanelColumns * 10 >= pixels_ * 9;
  }
  weight_ = Tensor({out_channels_, in_channels_, kernel_, kernel_});
  weight_grad_ = Tensor(weight_.shape());
  bias_ = Tensor({out_channels_});
  bias_grad_ = Tensor({out_channels_});
}

void Conv2d::initialize(Random& rng) {
  profundo::initialize(weight_, weight_init_, patch_, out_channels_ * kernel_ * kernel_, rng);
  bias_.fill(bias_value_);
}

std::vector<Parameter> Conv2d::parameters() {
  return {{&weight_, &weight_grad_, "W", true}, {&bias_, &bias_grad_, "b", false}};
}

int Conv2d::samples_per_gemm(int samples) const {
  int g = (kTargetColumns + pixels_ - 1) / pixels_;
  const std::size_t per_sample = static_cast<std::size_t>(patch_) * static_cast<std::size_t>(pixels_);
  g = std::min<int>(g, static_cast<int>(std::max<std::size_t>(1, kMaxColumnFloats / per_sample)));
  g = std::max(1, std::min(g, samples));
  // Even chunks: 32 samples in chunks of at most 5 become 7 chunks of 4 or 5, not 6 of 5 and one of 2.
  const int chunks = (samples + g - 1) / g;
  return (samples + chunks - 1) / chunks;
}

Conv2d::Workspace& Conv2d::workspace(int thread) { return workspaces_[static_cast<std::size_t>(thread)]; }

// col[(c·k + p)·k + q, j·P + i·OW + o] = x_j[c, i·s − top + p, o·s − left + q] (0 in the padding)
void Conv2d::im2col(const float* x, int samples, float* col) const {
  const std::size_t ld = static_cast<std::size_t>(samples) * pixels_;
  const std::size_t image = static_cast<std::size_t>(in_height_) * in_width_;
  for (int j = 0; j < samples; ++j) {
    const float* xs = x + static_cast<std::size_t>(j) * in_channels_ * image;
    for (int c = 0; c < in_channels_; ++c) {
      const float* plane = xs + static_cast<std::size_t>(c) * image;
      for (int p = 0; p < kernel_; ++p) {
        const int row_lo = first_valid_row_[static_cast<std::size_t>(p)];
        const int row_hi = last_valid_row_[static_cast<std::size_t>(p)];
        for (int q = 0; q < kernel_; ++q) {
          const int col_lo = first_valid_col_[static_cast<std::size_t>(q)];
          const int col_hi = last_valid_col_[static_cast<std::size_t>(q)];
          const std::size_t r = (static_cast<std::size_t>(c) * kernel_ + p) * kernel_ + q;
          float* dst = col + r * ld + static_cast<std::size_t>(j) * pixels_;
          std::fill(dst, dst + static_cast<std::size_t>(row_lo) * out_width_, 0.0f);
          std::fill(dst + static_cast<std::size_t>(row_hi) * out_width_, dst + pixels_, 0.0f);
          for (int i = row_lo; i < row_hi; ++i) {
            float* d = dst + static_cast<std::size_t>(i) * out_width_;
            const float* src = plane + static_cast<std::size_t>(i * stride_ - pad_top_ + p) * in_width_;
            std::fill(d, d + col_lo, 0.0f);
            std::fill(d + col_hi, d + out_width_, 0.0f);
            const int base = q - pad_left_;
            if (stride_ == 1) {
              if (col_hi > col_lo) std::memcpy(d + col_lo, src + (col_lo + base), sizeof(float) * (col_hi - col_lo));
            } else {
              for (int o = col_lo; o < col_hi; ++o) d[o] = src[o * stride_ + base];
            }
          }
        }
      }
    }
  }
}

// Where the full panel of columns [j, j + 8) lies in an image batch x when it needs no packing:
// eight output pixels in one output row at stride 1, every patch inside the image, read eight
// consecutive input pixels per patch element (its row r at x + the result + patch_offsets_[r]);
// −1 otherwise. dx's GEMM adds its rows at the same places.
std::ptrdiff_t Conv2d::panel_in_place(int j) const {
  constexpr int kPanel = kGemmPanelColumns;
  if (stride_ != 1) return -1;
  const int sample = j / pixels_;
  const int pixel = j - sample * pixels_;
  const int out_row = pixel / out_width_;
  const int out_col = pixel - out_row * out_width_;
  const int top = out_row - pad_top_, left = out_col - pad_left_;
  if (out_col + kPanel > out_width_ || top < 0 || top + kernel_ > in_height_ || left < 0 ||
      left + kPanel - 1 + kernel_ > in_width_) {
    return -1;
  }
  return static_cast<std::ptrdiff_t>(sample) * in_channels_ * in_height_ * in_width_ +
         static_cast<std::ptrdiff_t>(top) * in_width_ + left;
}

// dx += a tile of Wᵀ·dY whose panel is not in place: C[i + r, j + col] (rows in (p, q, c) order)
// added to dx one element at a time, inside the image only; col2im for these columns.
void Conv2d::scatter_tile(int i, int rows, int j, int columns, const float* tile, float* dx) const {
  const std::size_t image = static_cast<std::size_t>(in_height_) * in_width_;
  for (int col = 0; col < columns; ++col) {
    const int sample = (j + col) / pixels_;
    const int pixel = (j + col) - sample * pixels_;
    const int top = pixel / out_width_ * stride_ - pad_top_;
    const int left = pixel % out_width_ * stride_ - pad_left_;
    float* dxs = dx + static_cast<std::size_t>(sample) * in_channels_ * image;
    for (int r = 0; r < rows; ++r) {
      const int position = (i + r) / in_channels_, c = (i + r) - position * in_channels_;
      const int in_row = top + position / kernel_, in_col = left + position % kernel_;
      if (in_row < 0 || in_row >= in_height_ || in_col < 0 || in_col >= in_width_) continue;
      dxs[static_cast<std::size_t>(c) * image + static_cast<std::size_t>(in_row) * in_width_ + in_col] +=
          tile[r * kGemmPanelColumns + col];
    }
  }
}

// The same columns as im2col, rows [p0, p0 + kc) × columns [j0, j0 + nc), written straight as the
// GEMM's packed panels (see GemmPackB): the column matrix is never stored whole. The GEMM reads the
// panels that lie in x as they are (panel_in_place); this packs the others.
void Conv2d::pack_columns(const float* x, int p0, int kc, int j0, int nc, float* panels) const {
  constexpr int kPanel = kGemmPanelColumns;
  const std::size_t image = static_cast<std::size_t>(in_height_) * in_width_;
  for (int jp = 0; jp < nc; jp += kPanel, panels += static_cast<std::size_t>(kc) * kPanel) {
    const int width = std::min(kPanel, nc - jp);
    const int j = j0 + jp;
    const int sample = j / pixels_;
    const int pixel = j - sample * pixels_;
    const int out_row = pixel / out_width_;
    const int out_col = pixel - out_row * out_width_;
    const float* xs = x + static_cast<std::size_t>(sample) * in_channels_ * image;
    if (width == kPanel && stride_ == 1 && out_col + kPanel <= out_width_) {  // one output row, partly in the padding
      PatchElement e(p0, kernel_);
      for (int r = 0; r < kc; ++r, e.next()) {
        float* dst = panels + static_cast<std::size_t>(r) * kPanel;
        const int in_row = out_row - pad_top_ + e.p;
        const int in_col = out_col - pad_left_ + e.q;
        const float* src = xs + static_cast<std::size_t>(e.c) * image + static_cast<std::size_t>(in_row) * in_width_;
        if (in_row < 0 || in_row >= in_height_) {
          std::fill(dst, dst + kPanel, 0.0f);
        } else if (in_col >= 0 && in_col + kPanel <= in_width_) {
          std::memcpy(dst, src + in_col, sizeof(float) * kPanel);
        } else {
          for (int o = 0; o < kPanel; ++o) dst[o] = in_col + o >= 0 && in_col + o < in_width_ ? src[in_col + o] : 0.0f;
        }
      }
      continue;
    }
    // A panel across output rows or samples, or at a stride: where each column's patch starts, and
    // whether every patch lies inside the image (always, without padding).
    std::ptrdiff_t origin[kPanel];
    bool inside = width == kPanel;
    for (int o = 0; o < width; ++o) {
      const int column_sample = (j + o) / pixels_;
      const int column_pixel = (j + o) - column_sample * pixels_;
      const int top = column_pixel / out_width_ * stride_ - pad_top_;
      const int left = column_pixel % out_width_ * stride_ - pad_left_;
      origin[o] = static_cast<std::ptrdiff_t>(column_sample) * in_channels_ * static_cast<std::ptrdiff_t>(image) +
                  static_cast<std::ptrdiff_t>(top) * in_width_ + left;
      inside = inside && top >= 0 && top + kernel_ <= in_height_ && left >= 0 && left + kernel_ <= in_width_;
    }
    if (inside) {  // gather eight pixels per patch element
      for (int r = 0; r < kc; ++r) {
        const float* src = x + patch_offsets_[static_cast<std::size_t>(p0 + r)];
        float* dst = panels + static_cast<std::size_t>(r) * kPanel;
        for (int o = 0; o < kPanel; ++o) dst[o] = src[origin[o]];
      }
      continue;
    }
    // The padded border or the last panel: one column at a time, each element checked.
    for (int o = 0; o < kPanel; ++o) {
      if (o >= width) {
        for (int r = 0; r < kc; ++r) panels[static_cast<std::size_t>(r) * kPanel + o] = 0.0f;
        continue;
      }
      const int column_sample = (j + o) / pixels_;
      const int column_pixel = (j + o) - column_sample * pixels_;
      const int top = column_pixel / out_width_ * stride_ - pad_top_;
      const int left = column_pixel % out_width_ * stride_ - pad_left_;
      const float* xo = x + static_cast<std::size_t>(column_sample) * in_channels_ * image;
      PatchElement e(p0, kernel_);
      for (int r = 0; r < kc; ++r, e.next()) {
        const int in_row = top + e.p, in_col = left + e.q;
        const bool inside = in_row >= 0 && in_row < in_height_ && in_col >= 0 && in_col < in_width_;
        panels[static_cast<std::size_t>(r) * kPanel + o] =
            inside ? xo[static_cast<std::size_t>(e.c) * image + static_cast<std::size_t>(in_row) * in_width_ + in_col] : 0.0f;
      }
    }
  }
}

// Rows [p0, p0 + kc) × columns [j0, j0 + nc) of colᵀ (a row per output position of all the
// samples, a column per patch element) as the GEMM's packed panels, for dW = dY·colᵀ without col:
// each panel row is one position's eight patch elements, gathered from x; along an output row, four
// positions at a time where their patches lie in the image (pack_four_transposed_rows).
void Conv2d::pack_transposed_columns(const float* x, int p0, int kc, int j0, int nc, float* panels) const {
  constexpr int kPanel = kGemmPanelColumns;
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(in_height_) * in_width_;
  for (int jp = 0; jp < nc; jp += kPanel, panels += static_cast<std::size_t>(kc) * kPanel) {
    const int width = std::min(kPanel, nc - jp);
    // The panel's patch elements: row and column inside the patch, offset from its first pixel.
    int element_row[kPanel] = {}, element_col[kPanel] = {}, offset[kPanel] = {};
    PatchElement e(j0 + jp, kernel_);
    for (int o = 0; o < width; ++o, e.next()) {
      element_row[o] = e.p;
      element_col[o] = e.q;
      offset[o] = patch_offsets_[static_cast<std::size_t>(j0 + jp + o)];
    }
    int sample = p0 / pixels_;
    int out_row = (p0 - sample * pixels_) / out_width_;
    int out_col = p0 - sample * pixels_ - out_row * out_width_;
    for (int r = 0; r < kc;) {
      float* dst = panels + static_cast<std::size_t>(r) * kPanel;
      const int top = out_row * stride_ - pad_top_, left = out_col * stride_ - pad_left_;
      const std::ptrdiff_t origin = sample * in_channels_ * image + static_cast<std::ptrdiff_t>(top) * in_width_ + left;
      // Whether the patches of this output column and the positions − 1 after it (at stride 1) lie in
      // the image, and so in this output row.
      auto patches_inside = [&](int positions) {
        return width == kPanel && top >= 0 && top + kernel_ <= in_height_ && left >= 0 &&
               left + positions - 1 + kernel_ <= in_width_;
      };
      const int rows = stride_ == 1 && r + 4 <= kc && patches_inside(4) ? 4 : 1;
      if (rows == 4) {
        pack_four_transposed_rows(x + origin, offset, dst);
      } else if (patches_inside(1)) {
        for (int o = 0; o < kPanel; ++o) dst[o] = x[origin + offset[o]];
      } else {
        for (int o = 0; o < kPanel; ++o) {
          const int in_row = top + element_row[o], in_col = left + element_col[o];
          const bool inside = o < width && in_row >= 0 && in_row < in_height_ && in_col >= 0 && in_col < in_width_;
          dst[o] = inside ? x[origin + offset[o]] : 0.0f;
        }
      }
      r += rows;
      if ((out_col += rows) == out_width_) {
        out_col = 0;
        if (++out_row == out_height_) out_row = 0, ++sample;
      }
    }
  }
}

// dW[o, c, p, q] += Σ_n Σ_i Σ_j dy[n, o, i, j] · x[n, c, i + p, j + q] (stride 1, no padding),
// straight from x and dy: for two filters and one kernel row, the 2·k sums over four output
// columns at a time stay in registers, and each x load serves both filters. For a narrow first
// convolution (tfjs-cnn's: 8 filters of 5×5 on one channel) the GEMM's packed colᵀ cost as much
// as its multiply-adds. The kernel size is a template argument: with the q loops unrolled, the 2·k
// sums are registers (with k known only at run time they lived in memory, and fast99's first
// convolution's backward took 1.8× as long in wasm).
void Conv2d::weight_gradient_direct(const float* x, const float* dy, int samples, float* dw) const {
  static_assert(kDirectMaxKernel == 5);
  switch (kernel_) {
    case 1: return weight_gradient_direct<1>(x, dy, samples, dw);
    case 2: return weight_gradient_direct<2>(x, dy, samples, dw);
    case 3: return weight_gradient_direct<3>(x, dy, samples, dw);
    case 4: return weight_gradient_direct<4>(x, dy, samples, dw);
    case 5: return weight_gradient_direct<5>(x, dy, samples, dw);
    default: throw std::logic_error("conv2d: no direct weight gradient for kernel " + std::to_string(kernel_));
  }
}

template <int kKernel>
void Conv2d::weight_gradient_direct(const float* x, const float* dy, int samples, float* dw) const {
  const int vector_end = out_width_ / 4 * 4;
  const std::size_t in_plane = static_cast<std::size_t>(in_height_) * in_width_;
  for (int c = 0; c < in_channels_; ++c) {
    for (int o0 = 0; o0 < out_channels_; o0 += 2) {
      const int o1 = std::min(o0 + 1, out_channels_ - 1);  // an odd last filter pairs with itself
      for (int p = 0; p < kKernel; ++p) {
        f32x4 sum0[kKernel], sum1[kKernel];
        float tail0[kKernel] = {}, tail1[kKernel] = {};
        for (int q = 0; q < kKernel; ++q) sum0[q] = sum1[q] = splat4(0.0f);
        for (int n = 0; n < samples; ++n) {
          const float* dy0 = dy + (static_cast<std::size_t>(n) * out_channels_ + o0) * pixels_;
          const float* dy1 = dy + (static_cast<std::size_t>(n) * out_channels_ + o1) * pixels_;
          const float* xc = x + (static_cast<std::size_t>(n) * in_channels_ + c) * in_plane + static_cast<std::size_t>(p) * in_width_;
          for (int i = 0; i < out_height_; ++i, dy0 += out_width_, dy1 += out_width_, xc += in_width_) {
            for (int j = 0; j < vector_end; j += 4) {
              const f32x4 d0 = load4(dy0 + j), d1 = load4(dy1 + j);
              for (int q = 0; q < kKernel; ++q) {
                const f32x4 xv = load4(xc + j + q);
                sum0[q] += d0 * xv;
                sum1[q] += d1 * xv;
              }
            }
            for (int j = vector_end; j < out_width_; ++j) {
              for (int q = 0; q < kKernel; ++q) {
                tail0[q] += dy0[j] * xc[j + q];
                tail1[q] += dy1[j] * xc[j + q];
              }
            }
          }
        }
        float* dw0 = dw + ((static_cast<std::size_t>(o0) * in_channels_ + c) * kKernel + p) * kKernel;
        float* dw1 = dw + ((static_cast<std::size_t>(o1) * in_channels_ + c) * kKernel + p) * kKernel;
        for (int q = 0; q < kKernel; ++q) dw0[q] += sum4(sum0[q]) + tail0[q];
        if (o1 != o0)
          for (int q = 0; q < kKernel; ++q) dw1[q] += sum4(sum1[q]) + tail1[q];
      }
    }
  }
}

// The adjoint of im2col: dx_j[c, i·s − top + p, o·s − left + q] += col[(c·k + p)·k + q, j·P + i·OW + o].
// dx must be zeroed by the caller.
void Conv2d::col2im(const float* col, int samples, float* dx) const {
  const std::size_t ld = static_cast<std::size_t>(samples) * pixels_;
  const std::size_t image = static_cast<std::size_t>(in_height_) * in_width_;
  for (int j = 0; j < samples; ++j) {
    float* xs = dx + static_cast<std::size_t>(j) * in_channels_ * image;
    for (int c = 0; c < in_channels_; ++c) {
      float* plane = xs + static_cast<std::size_t>(c) * image;
      for (int p = 0; p < kernel_; ++p) {
        const int row_lo = first_valid_row_[static_cast<std::size_t>(p)];
        const int row_hi = last_valid_row_[static_cast<std::size_t>(p)];
        for (int q = 0; q < kernel_; ++q) {
          const int col_lo = first_valid_col_[static_cast<std::size_t>(q)];
          const int col_hi = last_valid_col_[static_cast<std::size_t>(q)];
          const std::size_t r = (static_cast<std::size_t>(c) * kernel_ + p) * kernel_ + q;
          const float* src_rows = col + r * ld + static_cast<std::size_t>(j) * pixels_;
          const int base = q - pad_left_;
          for (int i = row_lo; i < row_hi; ++i) {
            const float* s = src_rows + static_cast<std::size_t>(i) * out_width_;
            float* d = plane + static_cast<std::size_t>(i * stride_ - pad_top_ + p) * in_width_;
            if (stride_ == 1) {
              for (int o = col_lo; o < col_hi; ++o) d[o + base] += s[o];
            } else {
              for (int o = col_lo; o < col_hi; ++o) d[o * stride_ + base] += s[o];
            }
          }
        }
      }
    }
  }
}

const Tensor& Conv2d::forward(const Tensor& x, RunContext& context) { return forward(x, context, Fused{}); }

const Tensor& Conv2d::forward(const Tensor& x, RunContext& context, const Fused& then) {
  if (x.rank() != 4 || x.dim(1) != in_channels_ || x.dim(2) != in_height_ || x.dim(3) != in_width_) {
    throw std::invalid_argument("conv2d: expected input [N, " + std::to_string(in_channels_) + ", " +
                                std::to_string(in_height_) + ", " + std::to_string(in_width_) + "], got " +
                                to_string(x.shape()));
  }
  input_ = &x;
  const int batch = x.dim(0);
  output_.resize({batch, out_channels_, out_height_, out_width_});
  const int threads = std::max(1, std::min(context.pool.threads(), batch));
  if (workspaces_.size() < static_cast<std::size_t>(threads)) workspaces_.resize(static_cast<std::size_t>(threads));
  const std::size_t in_sample = static_cast<std::size_t>(in_channels_) * in_height_ * in_width_;
  const std::size_t out_sample = static_cast<std::size_t>(out_channels_) * pixels_;
  // A batch norm after the convolution is y ↦ scale·y + shift per channel: applied to W and b.
  const float* weight = weight_.data();
  const float* bias = bias_.data();
  if (then.norm != nullptr) {
    folded_weight_.resize(weight_.shape());
    folded_bias_.resize(bias_.shape());
    for (int o = 0; o < out_channels_; ++o) {
      const float scale = then.norm->evaluation_scale(o);
      const std::size_t row = static_cast<std::size_t>(o) * patch_;
      for (int r = 0; r < patch_; ++r) folded_weight_[row + r] = scale * weight_[row + r];
      folded_bias_[static_cast<std::size_t>(o)] = scale * bias_[static_cast<std::size_t>(o)] + then.norm->evaluation_shift(o);
    }
    weight = folded_weight_.data();
    bias = folded_bias_.data();
  }
  const bool relu = then.relu;
  MaxPool2d* const then_pool = then.pool;
  if (fused_forward_) {
    // Each thread: y[begin:end] = W·columns + b as packed GEMMs whose B panels are packed from x (or
    // read in place). Pooled: a few samples per GEMM, each chunk's output pooled while in cache, so
    // the convolution's output is never stored whole; else one GEMM for all the thread's samples.
    Tensor* pooled = then_pool != nullptr ? &then_pool->fused_output(batch) : nullptr;
    const std::size_t pooled_sample = pooled != nullptr ? pooled->size() / static_cast<std::size_t>(batch) : 0;
    context.pool.parallel_for(threads, [&](int t) {
      const int begin = static_cast<int>(static_cast<long long>(batch) * t / threads);
      const int end = static_cast<int>(static_cast<long long>(batch) * (t + 1) / threads);
      if (begin >= end) return;
      const int chunk = pooled != nullptr ? samples_per_gemm(end - begin) : end - begin;
      Workspace& ws = workspace(t);
      if (pooled != nullptr) ws.product.resize({chunk, out_channels_, pixels_});
      for (int n0 = begin; n0 < end; n0 += chunk) {
        const int count = std::min(chunk, end - n0);
        const float* xs = x.data() + static_cast<std::size_t>(n0) * in_sample;
        auto pack = [&](int p0, int kc, int j0, int nc, float* panels) { pack_columns(xs, p0, kc, j0, nc, panels); };
        auto in_place = [&](int j) {
          const std::ptrdiff_t offset = panel_in_place(j);
          return offset < 0 ? nullptr : xs + offset;
        };
        const GemmDirectB direct{in_place, patch_offsets_.data()};
        float* y = pooled != nullptr ? ws.product.data() : output_.data() + static_cast<std::size_t>(n0) * out_sample;
        const GemmOutput out{y, pixels_, pixels_, out_sample, false, bias, relu};
        gemm_packed({out_channels_, count * pixels_, patch_}, GemmOperand{weight, patch_, Transpose::no}, pack, out, &direct);
        if (pooled != nullptr) then_pool->pool_samples(y, count, pooled->data() + static_cast<std::size_t>(n0) * pooled_sample);
      }
    });
    return pooled != nullptr ? *pooled : output_;
  }

  const Eigen::Map<const Eigen::VectorXf> b(bias, out_channels_);
  context.pool.parallel_for(threads, [&](int t) {
    const int begin = static_cast<int>(static_cast<long long>(batch) * t / threads);
    const int end = static_cast<int>(static_cast<long long>(batch) * (t + 1) / threads);
    if (begin >= end) return;
    Workspace& ws = workspace(t);
    const int g = samples_per_gemm(end - begin);
    ws.col.resize({patch_, g * pixels_});
    if (g > 1) ws.product.resize({out_channels_, g * pixels_});
    for (int n0 = begin; n0 < end; n0 += g) {
      const int count = std::min(g, end - n0);
      const int columns = count * pixels_;
      im2col(x.data() + static_cast<std::size_t>(n0) * in_sample, count, ws.col.data());
      float* y = output_.data() + static_cast<std::size_t>(n0) * out_sample;
      // y = W·col: [K, C·k·k] · [C·k·k, count·P]
      const GemmShape shape{out_channels_, columns, patch_};
      if (count == 1) {
        gemm(shape, weight, patch_, Transpose::no, ws.col.data(), columns, Transpose::no, y, columns, false);
        RowMajorMap out(y, out_channels_, pixels_);
        out.colwise() += b;
      } else {
        gemm(shape, weight, patch_, Transpose::no, ws.col.data(), columns, Transpose::no, ws.product.data(), columns,
             false);
        const ConstRowMajorMap product(ws.product.data(), out_channels_, columns);
        for (int j = 0; j < count; ++j) {
          RowMajorMap out(y + static_cast<std::size_t>(j) * out_sample, out_channels_, pixels_);
          out = product.middleCols(static_cast<Eigen::Index>(j) * pixels_, pixels_);
          out.colwise() += b;
        }
      }
    }
    if (relu) {
      float* y = output_.data() + static_cast<std::size_t>(begin) * out_sample;
      rectify(y, static_cast<int>(static_cast<std::size_t>(end - begin) * out_sample), 0.0f, y);
    }
  });
  return then_pool != nullptr ? then_pool->forward(output_, context) : output_;
}

const Tensor& Conv2d::backward(const Tensor& dy, RunContext& context) {
  if (input_ == nullptr) throw std::logic_error("conv2d: backward called before forward");
  const Tensor& x = *input_;
  const int batch = x.dim(0);
  if (!dy.has_shape({batch, out_channels_, out_height_, out_width_})) {
    throw std::invalid_argument("conv2d: dy has shape " + to_string(dy.shape()) + ", expected " +
                                to_string(Shape{batch, out_channels_, out_height_, out_width_}));
  }
  if (input_gradient_needed_) input_grad_.resize(x.shape());
  const int threads = std::max(1, std::min(context.pool.threads(), batch));
  if (workspaces_.size() < static_cast<std::size_t>(threads)) workspaces_.resize(static_cast<std::size_t>(threads));
  const std::size_t in_sample = static_cast<std::size_t>(in_channels_) * in_height_ * in_width_;
  const std::size_t out_sample = static_cast<std::size_t>(out_channels_) * pixels_;
  const bool scatter_dx = fused_backward_ && input_gradient_needed_ && dx_in_place_;
  if (scatter_dx) {
    weight_by_position_.resize({patch_, out_channels_});
    const int positions = kernel_ * kernel_;
    for (int o = 0; o < out_channels_; ++o)
      for (int c = 0; c < in_channels_; ++c)
        for (int position = 0; position < positions; ++position)
          weight_by_position_[static_cast<std::size_t>(position * in_channels_ + c) * out_channels_ + o] =
              weight_[(static_cast<std::size_t>(o) * in_channels_ + c) * positions + position];
  }

  context.pool.parallel_for(threads, [&](int t) {
    const int begin = static_cast<int>(static_cast<long long>(batch) * t / threads);
    const int end = static_cast<int>(static_cast<long long>(batch) * (t + 1) / threads);
    Workspace& ws = workspace(t);
    // One thread accumulates straight into the parameter gradients; several keep partial sums.
    Tensor& weight_grad = threads == 1 ? weight_grad_ : ws.weight_grad;
    Tensor& bias_grad = threads == 1 ? bias_grad_ : ws.bias_grad;
    if (threads > 1) {
      ws.weight_grad.resize(weight_.shape());
      ws.weight_grad.set_zero();
      ws.bias_grad.resize(bias_.shape());
      ws.bias_grad.set_zero();
    }
    if (begin >= end) return;
    Eigen::Map<Eigen::VectorXf> db(bias_grad.data(), out_channels_);
    if (input_gradient_needed_) {
      float* dx = input_grad_.data() + static_cast<std::size_t>(begin) * in_sample;
      std::fill(dx, dx + static_cast<std::size_t>(end - begin) * in_sample, 0.0f);
    }
    const int g = samples_per_gemm(end - begin);
    if (!fused_backward_ || (input_gradient_needed_ && !scatter_dx)) ws.col.resize({patch_, g * pixels_});
    if (g > 1) ws.product.resize({out_channels_, g * pixels_});
    for (int n0 = begin; n0 < end; n0 += g) {
      const int count = std::min(g, end - n0);
      const int columns = count * pixels_;
      const float* xs = x.data() + static_cast<std::size_t>(n0) * in_sample;
      const float* dys = dy.data() + static_cast<std::size_t>(n0) * out_sample;
      // dy of the chunk as one [K, count·P] matrix, for the GEMMs that read it (not the direct dW).
      const bool gather = !direct_weight_gradient_ || input_gradient_needed_;
      float* gathered = const_cast<float*>(dys);  // only read when count == 1
      if (count > 1 && gather) {
        gathered = ws.product.data();
        RowMajorMap dyc(gathered, out_channels_, columns);
        for (int j = 0; j < count; ++j) {
          dyc.middleCols(static_cast<Eigen::Index>(j) * pixels_, pixels_) =
              ConstRowMajorMap(dys + static_cast<std::size_t>(j) * out_sample, out_channels_, pixels_);
        }
      }
      // dW += dy·colᵀ: [K, count·P] · [count·P, C·k·k]
      if (direct_weight_gradient_) {
        weight_gradient_direct(xs, dys, count, weight_grad.data());
      } else if (fused_backward_) {
        auto pack = [&](int p0, int kc, int j0, int nc, float* panels) {
          pack_transposed_columns(xs, p0, kc, j0, nc, panels);
        };
        gemm_packed({out_channels_, patch_, columns}, GemmOperand{gathered, columns, Transpose::no}, pack,
                    GemmOutput{weight_grad.data(), patch_, patch_, 0, true});
      } else {
        im2col(xs, count, ws.col.data());
        gemm({out_channels_, patch_, columns}, gathered, columns, Transpose::no, ws.col.data(), columns,
             Transpose::yes, weight_grad.data(), patch_, true);
      }
      for (int j = 0; j < count; ++j)
        db += ConstRowMajorMap(dys + static_cast<std::size_t>(j) * out_sample, out_channels_, pixels_).rowwise().sum();
      if (!input_gradient_needed_) continue;
      if (scatter_dx) {  // dx += col2im(Wᵀ·dy), added by the GEMM as it goes
        float* dx = input_grad_.data() + static_cast<std::size_t>(n0) * in_sample;
        auto origin = [&](int j) {
          const std::ptrdiff_t offset = panel_in_place(j);
          return offset < 0 ? nullptr : dx + offset;
        };
        auto add_tile = [&](int i, int rows, int j, int tile_columns, const float* tile) {
          scatter_tile(i, rows, j, tile_columns, tile, dx);
        };
        const GemmScatterC scatter{origin, position_offsets_.data(), add_tile};
        gemm_packed({patch_, columns, out_channels_}, GemmOperand{weight_by_position_.data(), out_channels_, Transpose::no},
                    GemmOperand{gathered, columns, Transpose::no}, GemmOutput{nullptr, 0, 1, 0, true, nullptr, false, &scatter});
        continue;
      }
      // dcol = Wᵀ·dy (in col's buffer), scattered into dx.
      gemm({patch_, columns, out_channels_}, weight_.data(), patch_, Transpose::yes, gathered, columns, Transpose::no,
           ws.col.data(), columns, false);
      col2im(ws.col.data(), count, input_grad_.data() + static_cast<std::size_t>(n0) * in_sample);
    }
  });
  if (threads > 1) {
    for (int t = 0; t < threads; ++t) {
      weight_grad_.vector() += workspace(t).weight_grad.vector();
      bias_grad_.vector() += workspace(t).bias_grad.vector();
    }
  }
  return input_grad_;
}

}  // namespace profundo
