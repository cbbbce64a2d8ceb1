// 2-D max and average pooling on NCHW images, valid padding:
//   x [N, C, H, W] -> y [N, C, OH, OW],  OH = floor((H − k) / s) + 1 (likewise OW)
// The stride is always given explicitly (the model builder resolves "default = kernel_size").
//   max: y = max over the k×k window; backward routes dy to the first maximum of the window in
//        row-major order (PyTorch's rule on ties; a NaN counts as the maximum, as in PyTorch).
//   avg: y = mean over the window; backward spreads dy / k² over it.
//   global avg: x [N, C, H, W] -> y [N, C], the mean of each channel's plane (Keras'
//        GlobalAveragePooling2D; ONNX's GlobalAveragePool then Flatten); backward spreads dy / (H·W).
// Both split the batch over the thread pool; windows may overlap (s < k), each thread only writes
// the samples it owns.
#pragma once

#include "layers/layer.hpp"

#include <cstdint>
#include <vector>

namespace profundo {

class Pool2d : public Layer {
 public:
  Shape output_shape() const override { return {channels_, out_height_, out_width_}; }
  int kernel_size() const { return kernel_; }
  int stride() const { return stride_; }

 protected:
  Pool2d(const std::string& kind, Shape input_shape, int kernel_size, int stride);
  void check_input(const Tensor& x) const;
  // Backward needs a forward first and a gradient shaped like the last output.
  void check_gradient(const Tensor& dy) const;

  int channels_ = 0, in_height_ = 0, in_width_ = 0;
  int kernel_ = 0, stride_ = 0;
  int out_height_ = 0, out_width_ = 0;
  const Tensor* input_ = nullptr;
  Tensor output_, input_grad_;

 private:
  std::string kind_;
};

class MaxPool2d : public Pool2d {
 public:
  MaxPool2d(Shape input_shape, int kernel_size, int stride);
  std::string kind() const override { return "maxpool2d"; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;

  // Evaluation fused into the convolution before it (Model): the output for a batch of N, which
  // the convolution fills with pool_samples chunk by chunk, while its own output is still in cache.
  Tensor& fused_output(int batch);
  void pool_samples(const float* x, int samples, float* y) const;  // no maxima recorded

 private:
  // One input plane into one output plane; where the maxima were too when `argmax` is given.
  void pool_plane(const float* in, float* out, std::int32_t* argmax) const;

  std::vector<std::int32_t> argmax_;  // per output element: index of the maximum inside its input plane
  bool argmax_recorded_ = false;      // by the last forward (in training mode only)
};

class AvgPool2d : public Pool2d {
 public:
  AvgPool2d(Shape input_shape, int kernel_size, int stride);
  std::string kind() const override { return "avgpool2d"; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;
};

class GlobalAvgPool2d : public Layer {
 public:
  explicit GlobalAvgPool2d(const Shape& input_shape);
  std::string kind() const override { return "global_avg_pool2d"; }
  Shape output_shape() const override { return {channels_}; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;

 private:
  int channels_ = 0, height_ = 0, width_ = 0;
  Tensor output_, input_grad_;
};

}  // namespace profundo
