// Inverted dropout (Srivastava et al. 2014, as in the course and PyTorch's nn.Dropout): in train
// mode each unit is kept with probability 1 − p and scaled by 1/(1 − p), so the expected value of
// every unit is unchanged and eval mode is the identity.
#pragma once

#include "layers/layer.hpp"

namespace profundo {

class Dropout : public Layer {
 public:
  // p: probability of dropping a unit, in [0, 1).
  Dropout(Shape input_shape, float p);

  std::string kind() const override { return "dropout"; }
  Shape output_shape() const override { return input_shape_; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;

  float p() const { return p_; }
  // While frozen, train-mode forward passes reuse the last mask (when its shape still fits) instead
  // of drawing a new one, so that the numerical gradient check sees a deterministic function.
  void freeze_mask(bool frozen) { mask_frozen_ = frozen; }
  // The last mask: 0 for dropped units, 1/(1 − p) for kept ones; shaped like the last input.
  const Tensor& mask() const { return mask_; }

 private:
  Shape input_shape_;
  float p_;
  bool mask_frozen_ = false;
  bool masked_ = false;  // whether the last forward applied the mask (train mode with p > 0)
  Tensor mask_, output_, input_grad_;
};

}  // namespace profundo
