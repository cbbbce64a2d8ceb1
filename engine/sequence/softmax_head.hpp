// The output layer of a character model: at every time step a dense layer to V logits followed by
// softmax cross-entropy against the next character's index, fused as in the course:
//   z = h W + b,  p = softmax(z),  L = −(1/(T·N)) Σ log p[target],  dL/dz = (p − onehot(target)) / (T·N)
// h: [T, N, H] -> loss (nats per character); W [H, V], b [V].
#pragma once

#include "layers/layer.hpp"

#include <vector>

namespace profundo {

class SoftmaxHead {
 public:
  SoftmaxHead(int hidden_size, int vocabulary_size);
  int vocabulary_size() const { return vocabulary_size_; }

  // h: [T, N, H] -> logits [T·N, V] (kept for backward and for sampling).
  const Tensor& logits(const Tensor& h, RunContext& context);
  // Mean cross-entropy of the last logits against targets (T·N indices in [0, V)); keeps p − y.
  double loss(const std::vector<int>& targets);
  // -> dh: [T, N, H], from the last loss(); accumulates dW and db.
  const Tensor& backward(RunContext& context);

  std::vector<Parameter> parameters() {
    return {{&weight_, &weight_grad_, "weight", true}, {&bias_, &bias_grad_, "bias", false}};
  }
  // U(−1/√H, 1/√H) for W (PyTorch's nn.Linear), zero bias.
  void initialize(Random& rng);

 private:
  int hidden_size_;
  int vocabulary_size_;
  Tensor weight_, weight_grad_;  // [H, V]
  Tensor bias_, bias_grad_;      // [V]
  const Tensor* input_ = nullptr;
  Tensor logits_;       // [T·N, V]
  Tensor logits_grad_;  // [T·N, V]
  Tensor input_grad_;   // [T, N, H]
};

}  // namespace profundo
