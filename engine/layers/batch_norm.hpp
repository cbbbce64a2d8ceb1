// Batch normalisation (Ioffe & Szegedy 2015, Algorithm 1, as in the course). Per-sample shape [F]
// normalises each feature over the batch (PyTorch's BatchNorm1d); [C, H, W] normalises each channel
// over N·H·W (BatchNorm2d). Train mode uses the batch statistics and updates the running averages;
// eval mode uses the running averages.
#pragma once

#include "layers/layer.hpp"

#include <Eigen/Core>

namespace profundo {

class BatchNorm : public Layer {
 public:
  // momentum: β of the running averages, running = β · running + (1 − β) · batch statistic, in [0, 1)
  // (the course's convention; PyTorch's momentum is 1 − β). epsilon: added to the variance, > 0.
  BatchNorm(Shape input_shape, float momentum = 0.9f, float epsilon = 1e-5f);

  std::string kind() const override { return "batchnorm"; }
  Shape output_shape() const override { return input_shape_; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;
  // gamma (scale, init 1) then beta (shift, init 0); neither takes L2.
  std::vector<Parameter> parameters() override;
  // running_mean (init 0) then running_var (init 1).
  std::vector<Tensor*> buffers() override { return {&running_mean_, &running_var_}; }
  void initialize(Random& rng) override;

  int channels() const { return channels_; }
  float momentum() const { return momentum_; }
  float epsilon() const { return epsilon_; }
  Tensor& gamma() { return gamma_; }
  Tensor& beta() { return beta_; }
  Tensor& running_mean() { return running_mean_; }
  Tensor& running_var() { return running_var_; }
  // What evaluation does to channel c, y = scale·x + shift (from the running statistics): for a
  // convolution before it to fold into its weights and bias.
  float evaluation_scale(int c) const;
  float evaluation_shift(int c) const;

 private:
  // The input is seen as [N, C, S] with S = H·W (S = 1 for [F] inputs). Each pass works on a range
  // of channels [c0, c1), so the passes split over the thread pool without sharing any output.
  void batch_statistics(const float* x, int batch, int c0, int c1);
  void scale_and_shift(const float* x, float* y, int batch, int c0, int c1);
  void gradient_sums(const float* x, const float* dy, int batch, int c0, int c1);
  void input_gradient(const float* x, const float* dy, float* dx, int batch, int c0, int c1);
  int min_channels_per_task(int batch) const;

  Shape input_shape_;
  int channels_;
  int spatial_;  // H·W, or 1 for [F]
  float momentum_;
  float epsilon_;
  Tensor gamma_, gamma_grad_, beta_, beta_grad_;  // [C]
  Tensor running_mean_, running_var_;             // [C]

  // Per-channel work arrays [C], sized once in the constructor. mean_ and inv_std_ hold the
  // statistics the last forward pass used (batch or running); backward needs both.
  Eigen::ArrayXf mean_, var_, inv_std_;
  Eigen::ArrayXf a_, b_, c_;  // per-channel coefficients of the affine passes
  Eigen::ArrayXd sum_, sum_product_;  // per-channel sums, in double
  bool training_ = true;  // mode of the last forward pass
  const Tensor* input_ = nullptr;
  Tensor output_, input_grad_;
};

}  // namespace profundo
