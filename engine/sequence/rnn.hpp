// The vanilla (Elman) recurrent layer, as PyTorch's nn.RNN with tanh:
//   h' = tanh(x W_x + h W_h + b)
// with W_x [I, H], W_h [H, H], b [H].
#pragma once

#include "sequence/recurrent_layer.hpp"

namespace profundo {

class Rnn : public RecurrentLayer {
 public:
  Rnn(int input_size, int hidden_size);
  std::string kind() const override { return "rnn"; }
  const Tensor& forward(const Tensor& x, RunContext& context) override;
  const Tensor& backward(const Tensor& dy, RunContext& context) override;
  std::vector<Parameter> parameters() override;
  void initialize(Random& rng) override;

 private:
  Tensor w_x_, w_x_grad_;  // [I, H]
  Tensor w_h_, w_h_grad_;  // [H, H]
  Tensor b_, b_grad_;      // [H]
  const Tensor* input_ = nullptr;
  Tensor h0_;              // [N, H]
  Tensor output_;          // [T, N, H] h_t
  Tensor pre_grad_;        // [T, N, H] dL/d(pre-activation)
  Tensor input_grad_;      // [T, N, I]
};

}  // namespace profundo
