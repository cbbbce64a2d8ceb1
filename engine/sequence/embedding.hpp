// Embedding: a lookup table from token indices to learned vectors (PyTorch's nn.Embedding), the
// same as multiplying a one-hot vector by W but without building the one-hot vector.
//   indices: [T, N] -> y: [T, N, E],  y[t, n] = W[indices[t, n]],  W [V, E]
#pragma once

#include "layers/layer.hpp"

#include <vector>

namespace profundo {

class Embedding {
 public:
  Embedding(int vocabulary_size, int embedding_size);
  int vocabulary_size() const { return vocabulary_size_; }
  int embedding_size() const { return embedding_size_; }

  // indices has T·N entries, each in [0, V) (checked: an index comes from the caller's data).
  const Tensor& forward(const std::vector<int>& indices, int steps, int batch);
  // dy: [T, N, E]; accumulates dW[indices[t, n]] += dy[t, n]. The indices get no gradient.
  void backward(const Tensor& dy);

  std::vector<Parameter> parameters() { return {{&weight_, &weight_grad_, "weight", true}}; }
  // N(0, 1) as PyTorch.
  void initialize(Random& rng);

 private:
  int vocabulary_size_;
  int embedding_size_;
  Tensor weight_, weight_grad_;  // [V, E]
  std::vector<int> indices_;
  Tensor output_;
};

}  // namespace profundo
