// Embedding: a lookup table from token indices to learned vectors (PyTorch's nn.Embedding), the
// same as multiplying a one-hot vector by W but without building the one-hot vector.
//   indices: [T, N] (or [T, N, 1]) -> y: [T, N, E],  y[t, n] = W[indices[t, n]],  W [V, E]
// The indices arrive as the floats of a Tensor, like every layer input; V ≤ 2^20 is exact in float.
#pragma once

#include "layers/layer.hpp"

namespace profundo {

class Embedding : public Layer {
 public:
  Embedding(int vocabulary_size, int embedding_size);
  int vocabulary_size() const { return vocabulary_size_; }
  int embedding_size() const { return embedding_size_; }

  std::string kind() const override { return "embedding"; }
  Shape output_shape() const override { return {embedding_size_}; }
  // Each index must be a whole number in [0, V) (checked: an index comes from the caller's data).
  const Tensor& forward(const Tensor& indices, RunContext& context) override;
  // dy: [T, N, E]; accumulates dW[indices[t, n]] += dy[t, n]. The indices get no gradient (an
  // empty tensor is returned).
  const Tensor& backward(const Tensor& dy, RunContext& context) override;

  std::vector<Parameter> parameters() override { return {{&weight_, &weight_grad_, "weight", true}}; }
  // N(0, 1) as PyTorch.
  void initialize(Random& rng) override;

 private:
  int vocabulary_size_;
  int embedding_size_;
  Tensor weight_, weight_grad_;  // [V, E]
  std::vector<int> indices_;
  Tensor output_;
  Tensor no_input_grad_;
};

}  // namespace profundo
