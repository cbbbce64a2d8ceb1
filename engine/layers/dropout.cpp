#include "layers/dropout.hpp"

#include <stdexcept>

namespace profundo {

Dropout::Dropout(Shape input_shape, float p) : input_shape_(std::move(input_shape)), p_(p) {
  // Written so that NaN fails too.
  if (!(p >= 0.0f && p < 1.0f)) throw std::invalid_argument("dropout: p must be in [0, 1), got " + std::to_string(p));
  if (input_shape_.empty() || element_count(input_shape_) == 0)
    throw std::invalid_argument("dropout: input shape must be non-empty, got " + to_string(input_shape_));
}

// x: [N, ...] -> y: [N, ...];  y = x ⊙ mask / (1 − p) in train mode, y = x in eval mode (PyTorch's
// nn.Dropout). mask ~ Bernoulli(1 − p), one draw per unit from context.rng in row-major order.
const Tensor& Dropout::forward(const Tensor& x, RunContext& context) {
  output_.resize(x.shape());
  masked_ = context.mode == Mode::train && p_ > 0.0f;
  if (!masked_) {
    output_.vector() = x.vector();
    return output_;
  }
  const bool reuse = mask_frozen_ && mask_.shape() == x.shape();
  if (!reuse) {
    if (context.rng == nullptr)
      throw std::logic_error("dropout: train mode needs a random stream (RunContext::rng is null)");
    Random& rng = *context.rng;
    const float keep = 1.0f - p_;
    const float scale = 1.0f / keep;
    mask_.resize(x.shape());
    float* mask = mask_.data();
    // The generator is sequential; the multiply below is the vectorised part.
    for (std::size_t i = 0, n = mask_.size(); i < n; ++i) mask[i] = rng.uniform() < keep ? scale : 0.0f;
  }
  output_.vector().array() = x.vector().array() * mask_.vector().array();
  return output_;
}

// dy: [N, ...] -> dx: [N, ...];  dx = dy ⊙ mask / (1 − p) with the mask of the last forward pass.
const Tensor& Dropout::backward(const Tensor& dy, RunContext& /*context*/) {
  input_grad_.resize(dy.shape());
  if (masked_)
    input_grad_.vector().array() = dy.vector().array() * mask_.vector().array();
  else
    input_grad_.vector() = dy.vector();
  return input_grad_;
}

}  // namespace profundo
