#include "layers/batch_norm.hpp"

#include "core/f32x4.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace profundo {

namespace {

using ConstSpan = Eigen::Map<const Eigen::ArrayXf>;
using Span = Eigen::Map<Eigen::ArrayXf>;

// The passes over one channel of one sample, S contiguous values, a vector at a time. Eigen 3.4 has
// no WebAssembly SIMD code, so there its array expressions ran one float at a time, and a reduction
// waited on each add: the batch norm after fast99's first convolution was 11 % of its step in wasm.
// Two accumulators per reduction, so consecutive adds do not wait on each other.
constexpr int kLanes = kWidestLanes;

// Σ x
float run_sum(const float* x, int n) {
  widest_floats sum0{}, sum1{};
  int i = 0;
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    sum0 += load_widest(x + i);
    sum1 += load_widest(x + i + kLanes);
  }
  float sum = sum_lanes(sum0 + sum1);
  for (; i < n; ++i) sum += x[i];
  return sum;
}

// Σ (x − mean)²
float run_squared_deviations(const float* x, int n, float mean) {
  widest_floats sum0{}, sum1{};
  int i = 0;
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    const widest_floats d0 = load_widest(x + i) - mean, d1 = load_widest(x + i + kLanes) - mean;
    sum0 += d0 * d0;
    sum1 += d1 * d1;
  }
  float sum = sum_lanes(sum0 + sum1);
  for (; i < n; ++i) sum += (x[i] - mean) * (x[i] - mean);
  return sum;
}

// Σ dy and Σ dy (x − mean)
void run_gradient_sums(const float* dy, const float* x, int n, float mean, float& sum, float& product) {
  widest_floats sums{}, products{};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    const widest_floats g = load_widest(dy + i);
    sums += g;
    products += g * (load_widest(x + i) - mean);
  }
  sum = sum_lanes(sums);
  product = sum_lanes(products);
  for (; i < n; ++i) {
    sum += dy[i];
    product += dy[i] * (x[i] - mean);
  }
}

// y = a x + b
void run_affine(const float* x, int n, float a, float b, float* y) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) store_widest(y + i, a * load_widest(x + i) + b);
  for (; i < n; ++i) y[i] = a * x[i] + b;
}

// dx = a dy + b x + c
void run_input_gradient(const float* dy, const float* x, int n, float a, float b, float c, float* dx) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) store_widest(dx + i, a * load_widest(dy + i) + b * load_widest(x + i) + c);
  for (; i < n; ++i) dx[i] = a * dy[i] + b * x[i] + c;
}

}  // namespace

BatchNorm::BatchNorm(Shape input_shape, float momentum, float epsilon)
    : input_shape_(std::move(input_shape)), momentum_(momentum), epsilon_(epsilon) {
  if (input_shape_.size() != 1 && input_shape_.size() != 3)
    throw std::invalid_argument("batchnorm: input shape must be [F] or [C, H, W], got " + to_string(input_shape_));
  for (int d : input_shape_)
    if (d <= 0)
      throw std::invalid_argument("batchnorm: input dimensions must be positive, got " + to_string(input_shape_));
  // Written so that NaN fails too.
  if (!(momentum >= 0.0f && momentum < 1.0f))
    throw std::invalid_argument("batchnorm: momentum must be in [0, 1), got " + std::to_string(momentum));
  if (!(epsilon > 0.0f && epsilon < std::numeric_limits<float>::infinity()))
    throw std::invalid_argument("batchnorm: epsilon must be positive, got " + std::to_string(epsilon));
  channels_ = input_shape_[0];
  spatial_ = input_shape_.size() == 3 ? input_shape_[1] * input_shape_[2] : 1;
  const Shape per_channel = {channels_};
  gamma_ = Tensor(per_channel, 1.0f);
  gamma_grad_ = Tensor(per_channel);
  beta_ = Tensor(per_channel);
  beta_grad_ = Tensor(per_channel);
  running_mean_ = Tensor(per_channel, 0.0f);
  running_var_ = Tensor(per_channel, 1.0f);
  for (Eigen::ArrayXf* a : {&mean_, &var_, &inv_std_, &a_, &b_, &c_}) a->setZero(channels_);
  sum_.setZero(channels_);
  sum_product_.setZero(channels_);
}

void BatchNorm::initialize(Random& /*rng*/) {
  gamma_.fill(1.0f);
  beta_.fill(0.0f);
  running_mean_.fill(0.0f);
  running_var_.fill(1.0f);
}

std::vector<Parameter> BatchNorm::parameters() {
  return {{&gamma_, &gamma_grad_, "gamma", false}, {&beta_, &beta_grad_, "beta", false}};
}

// Enough channels per task that a task is worth waking a thread for; with S = 1 the channels are
// also the vector lanes, so keep a few vectors' worth together.
int BatchNorm::min_channels_per_task(int batch) const {
  const long long per_channel = static_cast<long long>(batch) * spatial_;
  const long long wanted = std::max(1LL, 16384 / std::max(1LL, per_channel));
  return static_cast<int>(std::max<long long>(spatial_ == 1 ? 16 : 1, wanted));
}

// x: [N, C, H, W] or [N, F] -> y: same shape. Ioffe & Szegedy's Algorithm 1 per channel (PyTorch's
// BatchNorm1d/2d): μ = mean(x), σ² = mean((x − μ)²) (biased), x̂ = (x − μ)/√(σ² + ε), y = γ x̂ + β.
// Eval mode uses the running μ and σ² instead of the batch's.
const Tensor& BatchNorm::forward(const Tensor& x, RunContext& context) {
  const int batch = x.dim(0);
  assert(x.size() == static_cast<std::size_t>(batch) * channels_ * spatial_);
  input_ = &x;
  training_ = context.mode == Mode::train;
  output_.resize(x.shape());
  const int min_chunk = min_channels_per_task(batch);

  if (training_) {
    const long long count = static_cast<long long>(batch) * spatial_;  // m, values per channel
    if (count < 2)
      throw std::invalid_argument("batchnorm: train mode needs more than one value per channel, got a batch of " +
                                  std::to_string(batch) + " with per-sample shape " + to_string(input_shape_));
    context.pool.parallel_ranges(channels_, min_chunk,
                                 [&](int c0, int c1) { batch_statistics(x.data(), batch, c0, c1); });
    // running = β · running + (1 − β) · batch (the course's EWA; PyTorch writes it with momentum = 1 − β).
    // The running variance takes the unbiased batch variance m/(m − 1) · σ², like PyTorch.
    const float beta = momentum_;
    const float unbiased = static_cast<float>(static_cast<double>(count) / static_cast<double>(count - 1));
    running_mean_.vector().array() = beta * running_mean_.vector().array() + (1.0f - beta) * mean_;
    running_var_.vector().array() = beta * running_var_.vector().array() + (1.0f - beta) * unbiased * var_;
  } else {
    mean_ = running_mean_.vector().array();
    var_ = running_var_.vector().array();
  }
  inv_std_ = (var_ + epsilon_).rsqrt();
  // y = a x + b per channel, with a = γ/√(σ² + ε) and b = β − a μ.
  a_ = gamma_.vector().array() * inv_std_;
  b_ = beta_.vector().array() - a_ * mean_;
  context.pool.parallel_ranges(channels_, min_chunk,
                               [&](int c0, int c1) { scale_and_shift(x.data(), output_.data(), batch, c0, c1); });
  return output_;
}

float BatchNorm::evaluation_scale(int c) const {
  const std::size_t i = static_cast<std::size_t>(c);
  return gamma_[i] / std::sqrt(running_var_[i] + epsilon_);
}

float BatchNorm::evaluation_shift(int c) const {
  const std::size_t i = static_cast<std::size_t>(c);
  return beta_[i] - evaluation_scale(c) * running_mean_[i];
}

// dy: like y -> dx: like x;  dβ += Σ dy,  dγ += Σ dy ⊙ x̂, sums over N (and H, W) per channel.
// Train mode (the batch statistics depend on x; Ioffe & Szegedy's backward, gathered per channel):
//   dx = γ/√(σ² + ε) · (dy − mean(dy) − x̂ · mean(dy ⊙ x̂))
// Eval mode (the statistics are constants): dx = γ/√(σ² + ε) · dy.
const Tensor& BatchNorm::backward(const Tensor& dy, RunContext& context) {
  const Tensor& x = *input_;
  const int batch = x.dim(0);
  assert(dy.size() == x.size());
  input_grad_.resize(x.shape());
  const int min_chunk = min_channels_per_task(batch);

  // sum_ = Σ dy, sum_product_ = Σ dy ⊙ (x − μ), so that Σ dy ⊙ x̂ = inv_std · sum_product_.
  context.pool.parallel_ranges(channels_, min_chunk,
                               [&](int c0, int c1) { gradient_sums(x.data(), dy.data(), batch, c0, c1); });
  beta_grad_.vector().array() += sum_.cast<float>();
  gamma_grad_.vector().array() += inv_std_ * sum_product_.cast<float>();

  // dx = a dy + b x + c per channel.
  a_ = gamma_.vector().array() * inv_std_;
  if (training_) {
    const float count = static_cast<float>(static_cast<long long>(batch) * spatial_);
    b_ = -a_ * inv_std_.square() * sum_product_.cast<float>() / count;
    c_ = -a_ * sum_.cast<float>() / count - b_ * mean_;
  } else {
    b_.setZero();
    c_.setZero();
  }
  context.pool.parallel_ranges(channels_, min_chunk, [&](int c0, int c1) {
    input_gradient(x.data(), dy.data(), input_grad_.data(), batch, c0, c1);
  });
  return input_grad_;
}

// The four passes below come in two forms. With S > 1 a channel of one sample is a contiguous run
// of S values, so each channel is reduced on its own. With S = 1 ([N, F]) a channel is a strided
// column, so the passes instead walk the rows and vectorise across the features of the range.

// mean_[c], var_[c] (biased) of the batch, for c in [c0, c1); two passes for accuracy.
void BatchNorm::batch_statistics(const float* x, int batch, int c0, int c1) {
  const int C = channels_, S = spatial_;
  const double count = static_cast<double>(batch) * S;
  if (S > 1) {
    for (int c = c0; c < c1; ++c) {
      double sum = 0.0;
      for (int n = 0; n < batch; ++n) sum += run_sum(x + (static_cast<std::size_t>(n) * C + c) * S, S);
      const float mean = static_cast<float>(sum / count);
      double squares = 0.0;
      for (int n = 0; n < batch; ++n) squares += run_squared_deviations(x + (static_cast<std::size_t>(n) * C + c) * S, S, mean);
      mean_[c] = mean;
      var_[c] = static_cast<float>(squares / count);
    }
    return;
  }
  const int k = c1 - c0;
  auto sum = sum_.segment(c0, k);
  auto squares = sum_product_.segment(c0, k);
  sum.setZero();
  for (int n = 0; n < batch; ++n) sum += ConstSpan(x + static_cast<std::size_t>(n) * C + c0, k).cast<double>();
  auto mean = mean_.segment(c0, k);
  mean = (sum / count).cast<float>();
  squares.setZero();
  for (int n = 0; n < batch; ++n)
    squares += (ConstSpan(x + static_cast<std::size_t>(n) * C + c0, k) - mean).square().cast<double>();
  var_.segment(c0, k) = (squares / count).cast<float>();
}

// y = a_[c] x + b_[c]
void BatchNorm::scale_and_shift(const float* x, float* y, int batch, int c0, int c1) {
  const int C = channels_, S = spatial_;
  if (S > 1) {
    for (int n = 0; n < batch; ++n)
      for (int c = c0; c < c1; ++c) {
        const std::size_t at = (static_cast<std::size_t>(n) * C + c) * S;
        run_affine(x + at, S, a_[c], b_[c], y + at);
      }
    return;
  }
  const int k = c1 - c0;
  for (int n = 0; n < batch; ++n) {
    const std::size_t at = static_cast<std::size_t>(n) * C + c0;
    Span(y + at, k) = a_.segment(c0, k) * ConstSpan(x + at, k) + b_.segment(c0, k);
  }
}

// sum_[c] = Σ dy, sum_product_[c] = Σ dy (x − mean_[c])
void BatchNorm::gradient_sums(const float* x, const float* dy, int batch, int c0, int c1) {
  const int C = channels_, S = spatial_;
  if (S > 1) {
    for (int c = c0; c < c1; ++c) {
      const float mean = mean_[c];
      double sum = 0.0, product = 0.0;
      for (int n = 0; n < batch; ++n) {
        const std::size_t at = (static_cast<std::size_t>(n) * C + c) * S;
        float run, run_product;
        run_gradient_sums(dy + at, x + at, S, mean, run, run_product);
        sum += run;
        product += run_product;
      }
      sum_[c] = sum;
      sum_product_[c] = product;
    }
    return;
  }
  const int k = c1 - c0;
  auto sum = sum_.segment(c0, k);
  auto product = sum_product_.segment(c0, k);
  const auto mean = mean_.segment(c0, k);
  sum.setZero();
  product.setZero();
  for (int n = 0; n < batch; ++n) {
    const std::size_t at = static_cast<std::size_t>(n) * C + c0;
    const ConstSpan g(dy + at, k);
    sum += g.cast<double>();
    product += (g * (ConstSpan(x + at, k) - mean)).cast<double>();
  }
}

// dx = a_[c] dy + b_[c] x + c_[c]
void BatchNorm::input_gradient(const float* x, const float* dy, float* dx, int batch, int c0, int c1) {
  const int C = channels_, S = spatial_;
  if (S > 1) {
    for (int n = 0; n < batch; ++n)
      for (int c = c0; c < c1; ++c) {
        const std::size_t at = (static_cast<std::size_t>(n) * C + c) * S;
        run_input_gradient(dy + at, x + at, S, a_[c], b_[c], c_[c], dx + at);
      }
    return;
  }
  const int k = c1 - c0;
  for (int n = 0; n < batch; ++n) {
    const std::size_t at = static_cast<std::size_t>(n) * C + c0;
    Span(dx + at, k) =
        a_.segment(c0, k) * ConstSpan(dy + at, k) + b_.segment(c0, k) * ConstSpan(x + at, k) + c_.segment(c0, k);
  }
}

}  // namespace profundo
