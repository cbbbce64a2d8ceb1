#include "layers/pool2d.hpp"

#include "core/f32x4.hpp"
#include "layers/padding.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

Pool2d::Pool2d(const std::string& kind, Shape input_shape, int kernel_size, int stride)
    : kernel_(kernel_size), stride_(stride), kind_(kind) {
  if (input_shape.size() != 3) {
    throw std::invalid_argument(kind + ": input shape must be [channels, height, width], got " +
                                to_string(input_shape));
  }
  channels_ = input_shape[0];
  in_height_ = input_shape[1];
  in_width_ = input_shape[2];
  if (channels_ <= 0) throw std::invalid_argument(kind + ": input channels must be positive, got " + std::to_string(channels_));
  if (kernel_size <= 0) throw std::invalid_argument(kind + ": kernel_size must be positive, got " + std::to_string(kernel_size));
  if (stride <= 0) throw std::invalid_argument(kind + ": stride must be positive, got " + std::to_string(stride));
  out_height_ = axis_extent(in_height_, kernel_, stride_, Padding::valid, kind + " (height)").output;
  out_width_ = axis_extent(in_width_, kernel_, stride_, Padding::valid, kind + " (width)").output;
}

void Pool2d::check_gradient(const Tensor& dy) const {
  if (input_ == nullptr) throw std::logic_error(kind_ + ": backward called before forward");
  if (dy.shape() != output_.shape())
    throw std::invalid_argument(kind_ + ": dy has shape " + to_string(dy.shape()) + ", expected " +
                                to_string(output_.shape()));
}

void Pool2d::check_input(const Tensor& x) const {
  if (x.rank() != 4 || x.dim(1) != channels_ || x.dim(2) != in_height_ || x.dim(3) != in_width_) {
    throw std::invalid_argument(kind_ + ": expected input [N, " + std::to_string(channels_) + ", " +
                                std::to_string(in_height_) + ", " + std::to_string(in_width_) + "], got " +
                                to_string(x.shape()));
  }
}

MaxPool2d::MaxPool2d(Shape input_shape, int kernel_size, int stride)
    : Pool2d("maxpool2d", std::move(input_shape), kernel_size, stride) {}

namespace {

// The first maximum of a k×k window in row-major order (a NaN counts as the maximum: the last NaN,
// as PyTorch's `if (v > best || isnan(v))` scan gives). Branch-free in the common case: on random
// data a branch per comparison is mispredicted half the time, which made this loop slower than the
// convolutions around it.
inline int window_argmax(const float* in, int origin, int width, int kernel) {
  float best = in[origin];
  bool nan = false;
  for (int p = 0; p < kernel; ++p) {
    const float* row = in + origin + p * width;
    for (int q = 0; q < kernel; ++q) {
      const float v = row[q];
      best = v > best ? v : best;
      nan |= v != v;
    }
  }
  int index = origin;
  if (nan) {
    for (int p = 0; p < kernel; ++p)
      for (int q = 0; q < kernel; ++q)
        if (in[origin + p * width + q] != in[origin + p * width + q]) index = origin + p * width + q;
    return index;
  }
  for (int p = kernel - 1; p >= 0; --p) {
    const int row = origin + p * width;
    for (int q = kernel - 1; q >= 0; --q) index = in[row + q] == best ? row + q : index;
  }
  return index;
}

// One output row of the common 2×2, stride 2 case, written as selects the compiler vectorises; the
// positions of the maxima only when training needs them. Returns false (and the caller takes the
// general path) when the rows hold a NaN.
template <bool kRecordArgmax>
inline bool max_pool_2x2_row(const float* in, int origin, int width, int outputs, float* out, std::int32_t* arg) {
  const float* r0 = in + origin;
  const float* r1 = r0 + width;
  int nan = 0;
  for (int j = 0; j < outputs; ++j) {
    const float a = r0[2 * j], b = r0[2 * j + 1], c = r1[2 * j], d = r1[2 * j + 1];
    nan |= (a != a) | (b != b) | (c != c) | (d != d);
    const float ab = b > a ? b : a;
    const float cd = d > c ? d : c;
    const float m = cd > ab ? cd : ab;
    out[j] = m;
    if constexpr (kRecordArgmax) {
      int offset = width + 1;
      offset = c == m ? width : offset;
      offset = b == m ? 1 : offset;
      offset = a == m ? 0 : offset;
      arg[j] = origin + 2 * j + offset;
    }
  }
  return nan == 0;
}

// The same without the positions (evaluation), four outputs at a time: a row's eight inputs as
// two f32x4 split into even and odd columns. The maxima are taken as the scalar code takes them, so
// the values are the same; returns false when the rows hold a NaN.
inline bool max_pool_2x2_row_values(const float* in, int origin, int width, int outputs, float* out) {
  typedef int i32x4 __attribute__((vector_size(16)));
  const float* r0 = in + origin;
  const float* r1 = r0 + width;
  auto larger = [](f32x4 first, f32x4 second) { return second > first ? second : first; };
  i32x4 nan = {0, 0, 0, 0};
  int j = 0;
  for (; j + 4 <= outputs; j += 4) {
    const f32x4 a0 = load4(r0 + 2 * j), a1 = load4(r0 + 2 * j + 4);
    const f32x4 c0 = load4(r1 + 2 * j), c1 = load4(r1 + 2 * j + 4);
    nan |= (a0 != a0) | (a1 != a1) | (c0 != c0) | (c1 != c1);
    const f32x4 top = larger(__builtin_shufflevector(a0, a1, 0, 2, 4, 6), __builtin_shufflevector(a0, a1, 1, 3, 5, 7));
    const f32x4 bottom = larger(__builtin_shufflevector(c0, c1, 0, 2, 4, 6), __builtin_shufflevector(c0, c1, 1, 3, 5, 7));
    store4(out + j, larger(top, bottom));
  }
  const bool tail_done = max_pool_2x2_row<false>(in, origin + 2 * j, width, outputs - j, out + j, nullptr);
  return tail_done && (nan[0] | nan[1] | nan[2] | nan[3]) == 0;
}

}  // namespace

void MaxPool2d::pool_plane(const float* in, float* out, std::int32_t* argmax) const {
  // Copies the compiler can keep in registers: the int32 maxima it stores might alias members.
  const int out_height = out_height_, out_width = out_width_, in_width = in_width_, kernel = kernel_, stride = stride_;
  for (int i = 0; i < out_height; ++i) {
    float* out_row = out + i * out_width;
    std::int32_t* arg_row = argmax != nullptr ? argmax + i * out_width : nullptr;
    if (kernel == 2 && stride == 2) {
      const bool done = argmax != nullptr ? max_pool_2x2_row<true>(in, 2 * i * in_width, in_width, out_width, out_row, arg_row)
                                          : max_pool_2x2_row_values(in, 2 * i * in_width, in_width, out_width, out_row);
      if (done) continue;
    }
    for (int j = 0; j < out_width; ++j) {
      const int index = window_argmax(in, i * stride * in_width + j * stride, in_width, kernel);
      out_row[j] = in[index];
      if (arg_row != nullptr) arg_row[j] = index;
    }
  }
}

const Tensor& MaxPool2d::forward(const Tensor& x, RunContext& context) {
  check_input(x);
  input_ = &x;
  const int batch = x.dim(0);
  output_.resize({batch, channels_, out_height_, out_width_});
  const std::size_t in_plane = static_cast<std::size_t>(in_height_) * in_width_;
  const std::size_t out_plane = static_cast<std::size_t>(out_height_) * out_width_;
  // Evaluation never runs backward: it skips recording where the maxima were.
  argmax_recorded_ = context.mode == Mode::train;
  if (argmax_recorded_) argmax_.resize(static_cast<std::size_t>(batch) * channels_ * out_plane);
  context.pool.parallel_ranges(batch * channels_, channels_, [&](int begin, int end) {
    for (int plane = begin; plane < end; ++plane) {
      pool_plane(x.data() + plane * in_plane, output_.data() + plane * out_plane,
                 argmax_recorded_ ? argmax_.data() + plane * out_plane : nullptr);
    }
  });
  return output_;
}

Tensor& MaxPool2d::fused_output(int batch) {
  argmax_recorded_ = false;  // as after an evaluation forward: backward refuses, saying why
  output_.resize({batch, channels_, out_height_, out_width_});
  return output_;
}

void MaxPool2d::pool_samples(const float* x, int samples, float* y) const {
  const std::size_t in_plane = static_cast<std::size_t>(in_height_) * in_width_;
  const std::size_t out_plane = static_cast<std::size_t>(out_height_) * out_width_;
  for (int plane = 0; plane < samples * channels_; ++plane) pool_plane(x + plane * in_plane, y + plane * out_plane, nullptr);
}

const Tensor& MaxPool2d::backward(const Tensor& dy, RunContext& context) {
  check_gradient(dy);
  if (!argmax_recorded_) throw std::logic_error("maxpool2d: backward after a forward in eval mode (it records no maxima)");
  const int batch = dy.dim(0);
  input_grad_.resize(input_->shape());
  const std::size_t in_plane = static_cast<std::size_t>(in_height_) * in_width_;
  const std::size_t out_plane = static_cast<std::size_t>(out_height_) * out_width_;
  context.pool.parallel_ranges(batch * channels_, channels_, [&](int begin, int end) {
    float* dx = input_grad_.data() + static_cast<std::size_t>(begin) * in_plane;
    std::fill(dx, dx + static_cast<std::size_t>(end - begin) * in_plane, 0.0f);
    for (int plane = begin; plane < end; ++plane) {
      float* d = input_grad_.data() + static_cast<std::size_t>(plane) * in_plane;
      const float* g = dy.data() + static_cast<std::size_t>(plane) * out_plane;
      const std::int32_t* arg = argmax_.data() + static_cast<std::size_t>(plane) * out_plane;
      for (std::size_t o = 0; o < out_plane; ++o) d[arg[o]] += g[o];
    }
  });
  return input_grad_;
}

AvgPool2d::AvgPool2d(Shape input_shape, int kernel_size, int stride)
    : Pool2d("avgpool2d", std::move(input_shape), kernel_size, stride) {}

const Tensor& AvgPool2d::forward(const Tensor& x, RunContext& context) {
  check_input(x);
  input_ = &x;
  const int batch = x.dim(0);
  output_.resize({batch, channels_, out_height_, out_width_});
  const std::size_t in_plane = static_cast<std::size_t>(in_height_) * in_width_;
  const std::size_t out_plane = static_cast<std::size_t>(out_height_) * out_width_;
  const float scale = 1.0f / static_cast<float>(kernel_ * kernel_);
  context.pool.parallel_ranges(batch * channels_, channels_, [&](int begin, int end) {
    for (int plane = begin; plane < end; ++plane) {
      const float* in = x.data() + static_cast<std::size_t>(plane) * in_plane;
      float* out = output_.data() + static_cast<std::size_t>(plane) * out_plane;
      for (int i = 0; i < out_height_; ++i) {
        for (int j = 0; j < out_width_; ++j) {
          float sum = 0.0f;
          for (int p = 0; p < kernel_; ++p) {
            const float* row = in + (i * stride_ + p) * in_width_ + j * stride_;
            for (int q = 0; q < kernel_; ++q) sum += row[q];
          }
          out[i * out_width_ + j] = sum * scale;
        }
      }
    }
  });
  return output_;
}

const Tensor& AvgPool2d::backward(const Tensor& dy, RunContext& context) {
  check_gradient(dy);
  const int batch = dy.dim(0);
  input_grad_.resize(input_->shape());
  const std::size_t in_plane = static_cast<std::size_t>(in_height_) * in_width_;
  const std::size_t out_plane = static_cast<std::size_t>(out_height_) * out_width_;
  const float scale = 1.0f / static_cast<float>(kernel_ * kernel_);
  context.pool.parallel_ranges(batch * channels_, channels_, [&](int begin, int end) {
    float* dx = input_grad_.data() + static_cast<std::size_t>(begin) * in_plane;
    std::fill(dx, dx + static_cast<std::size_t>(end - begin) * in_plane, 0.0f);
    for (int plane = begin; plane < end; ++plane) {
      float* d = input_grad_.data() + static_cast<std::size_t>(plane) * in_plane;
      const float* g = dy.data() + static_cast<std::size_t>(plane) * out_plane;
      for (int i = 0; i < out_height_; ++i) {
        for (int j = 0; j < out_width_; ++j) {
          const float share = g[i * out_width_ + j] * scale;
          for (int p = 0; p < kernel_; ++p) {
            float* row = d + (i * stride_ + p) * in_width_ + j * stride_;
            for (int q = 0; q < kernel_; ++q) row[q] += share;
          }
        }
      }
    }
  });
  return input_grad_;
}

// x: [N, C, H, W] -> y: [N, C]
GlobalAvgPool2d::GlobalAvgPool2d(const Shape& input_shape) {
  if (input_shape.size() != 3)
    throw std::invalid_argument("global_avg_pool2d: input shape must be [channels, height, width], got " +
                                to_string(input_shape));
  channels_ = input_shape[0], height_ = input_shape[1], width_ = input_shape[2];
  if (channels_ <= 0 || height_ <= 0 || width_ <= 0)
    throw std::invalid_argument("global_avg_pool2d: input dimensions must be positive, got " + to_string(input_shape));
}

const Tensor& GlobalAvgPool2d::forward(const Tensor& x, RunContext& context) {
  if (x.rank() != 4 || x.dim(1) != channels_ || x.dim(2) != height_ || x.dim(3) != width_)
    throw std::invalid_argument("global_avg_pool2d: expected input [N, " + std::to_string(channels_) + ", " +
                                std::to_string(height_) + ", " + std::to_string(width_) + "], got " + to_string(x.shape()));
  const int batch = x.dim(0);
  output_.resize({batch, channels_});
  const std::size_t plane = static_cast<std::size_t>(height_) * width_;
  const float scale = 1.0f / static_cast<float>(plane);
  context.pool.parallel_ranges(batch * channels_, channels_, [&](int begin, int end) {
    for (int c = begin; c < end; ++c) {
      const float* in = x.data() + static_cast<std::size_t>(c) * plane;
      float sum = 0.0f;
      for (std::size_t i = 0; i < plane; ++i) sum += in[i];
      output_[static_cast<std::size_t>(c)] = sum * scale;
    }
  });
  return output_;
}

// dy: [N, C] -> dx: [N, C, H, W], dx = dy / (H·W) over each plane.
const Tensor& GlobalAvgPool2d::backward(const Tensor& dy, RunContext& context) {
  if (dy.rank() != 2 || dy.dim(1) != channels_ || output_.rank() != 2 || dy.dim(0) != output_.dim(0))
    throw std::invalid_argument("global_avg_pool2d: dy has shape " + to_string(dy.shape()) + ", expected " +
                                to_string(output_.shape()));
  const int batch = dy.dim(0);
  input_grad_.resize({batch, channels_, height_, width_});
  const std::size_t plane = static_cast<std::size_t>(height_) * width_;
  const float scale = 1.0f / static_cast<float>(plane);
  context.pool.parallel_ranges(batch * channels_, channels_, [&](int begin, int end) {
    for (int c = begin; c < end; ++c) {
      float* d = input_grad_.data() + static_cast<std::size_t>(c) * plane;
      std::fill(d, d + plane, dy[static_cast<std::size_t>(c)] * scale);
    }
  });
  return input_grad_;
}

}  // namespace profundo
