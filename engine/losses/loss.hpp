// Loss functions on a mini-batch. Each returns the mean over the batch of the per-sample loss
// (the course's Cost = 1/m Σ L(y_i, ŷ_i)) and its gradient with respect to the network output.
#pragma once

#include "core/tensor.hpp"

#include <memory>
#include <string>

namespace profundo {

class Loss {
 public:
  virtual ~Loss() = default;
  virtual std::string kind() const = 0;
  // Whether the target holds one class index per output row instead of a row like the output.
  virtual bool takes_class_indices() const { return false; }
  // output, target: [N, K] (or see takes_class_indices). Keeps what backward needs.
  virtual float forward(const Tensor& output, const Tensor& target) = 0;
  // d(mean loss) / d(output): [N, K]
  virtual const Tensor& backward() = 0;
  // What the network output means as a prediction (probabilities for the classification losses).
  virtual void predict(const Tensor& output, Tensor& prediction) const = 0;
};

// "softmax_cross_entropy", "sparse_softmax_cross_entropy", "sigmoid_binary_cross_entropy" or
// "mean_squared_error".
std::unique_ptr<Loss> make_loss(const std::string& kind);

}  // namespace profundo
