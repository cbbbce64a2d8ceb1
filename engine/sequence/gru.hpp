// Gated recurrent unit (Cho et al. 2014, in the form of PyTorch's nn.GRU, where the reset gate
// multiplies the recurrent product after it is taken):
//   r = σ(x W_xr + b_xr + h W_hr + b_hr)     z = σ(x W_xz + b_xz + h W_hz + b_hz)
//   n = tanh(x W_xn + b_xn + r ⊙ (h W_hn + b_hn))
//   h' = (1 − z) ⊙ n + z ⊙ h
// Gates fused: W_x [I, 3H], W_h [H, 3H], b_x [3H], b_h [3H], columns in the order r, z, n.
#pragma once

#include "sequence/recurrent_layer.hpp"

namespace profundo {

class Gru : public RecurrentLayer {
 public:
  Gru(int input_size, int hidden_size);
  std::string kind() const override { return "gru"; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;
  std::vector<Parameter> parameters() override;
  void initialize(Random& rng) override;

 private:
  Tensor w_x_, w_x_grad_;  // [I, 3H]
  Tensor w_h_, w_h_grad_;  // [H, 3H]
  Tensor b_x_, b_x_grad_;  // [3H]
  Tensor b_h_, b_h_grad_;  // [3H]
  const Tensor* input_ = nullptr;
  Tensor h0_;                 // [N, H]
  Tensor gates_;              // [T, N, 3H]: activated r, z, n
  Tensor recurrent_;          // [T, N, 3H]: h W_h + b_h (its n part is needed by backward)
  Tensor output_;             // [T, N, H]
  Tensor input_gates_grad_;   // [T, N, 3H] dL/d(x W_x + b_x)
  Tensor recurrent_grad_;     // [T, N, 3H] dL/d(h W_h + b_h)
  Tensor input_grad_;         // [T, N, I]
  Tensor dh_scratch_;         // [N, H] dL/dh_t of the step being backpropagated
};

}  // namespace profundo
