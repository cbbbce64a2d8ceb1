// Long short-term memory (Hochreiter & Schmidhuber 1997, with Gers et al.'s forget gate; the gate
// equations of PyTorch's nn.LSTM):
//   i = σ(x W_xi + h W_hi + b_i)   f = σ(x W_xf + h W_hf + b_f)
//   g = tanh(x W_xg + h W_hg + b_g)   o = σ(x W_xo + h W_ho + b_o)
//   c' = f ⊙ c + i ⊙ g             h' = o ⊙ tanh(c')
// The four gates are fused in one matrix: W_x [I, 4H], W_h [H, 4H], b [4H], gate columns in the
// order i, f, g, o. W is stored input-major (x W, not W x) so each product is a plain GEMM; PyTorch
// keeps one bias per product (b_ih + b_hh), which is the same function with one redundant vector.
#pragma once

#include "sequence/recurrent_layer.hpp"

namespace profundo {

class Lstm : public RecurrentLayer {
 public:
  Lstm(int input_size, int hidden_size);
  std::string kind() const override { return "lstm"; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;
  std::vector<Parameter> parameters() override;
  void initialize(Random& rng) override;

 private:
  Tensor w_x_, w_x_grad_;  // [I, 4H]
  Tensor w_h_, w_h_grad_;  // [H, 4H]
  Tensor b_, b_grad_;      // [4H]
  const Tensor* input_ = nullptr;
  Tensor h0_, c0_;         // [N, H] initial state of the last forward
  Tensor gates_;           // [T, N, 4H] activated gates i, f, g, o
  Tensor cells_;           // [T, N, H] c_t
  Tensor tanh_cells_;      // [T, N, H] tanh(c_t)
  Tensor output_;          // [T, N, H] h_t
  Tensor gates_grad_;      // [T, N, 4H] dL/d(gate pre-activations)
  Tensor input_grad_;      // [T, N, I]
  Tensor dh_scratch_, dc_scratch_;  // [N, H] dL/dh_t, dL/dc_t of the step being backpropagated
};

}  // namespace profundo
