// The Layer interface: forward and backward on mini-batches, parameters as {value, grad, name}.
#pragma once

#include "core/random.hpp"
#include "core/tensor.hpp"
#include "core/thread_pool.hpp"

#include <string>
#include <vector>

namespace profundo {

enum class Mode { train, eval };

// What a layer may use while it runs: the threads, the mode, and the random stream for dropout.
struct RunContext {
  ThreadPool& pool;
  Mode mode = Mode::train;
  Random* rng = nullptr;
};

struct Parameter {
  Tensor* value = nullptr;
  Tensor* grad = nullptr;
  std::string name;
  bool is_weight = false;  // L2 regularisation applies to weights, not to biases or BN shifts
};

class Layer {
 public:
  virtual ~Layer() = default;

  virtual std::string kind() const = 0;
  // Per-sample output shape (no batch dimension); checked when the model is built.
  virtual Shape output_shape() const = 0;

  // x: [N, ...input_shape] -> returns y: [N, ...output_shape]. The layer may keep a pointer to x
  // for backward, so x must stay alive and unchanged until backward has run.
  virtual const Tensor& forward(const Tensor& x, RunContext& context) = 0;
  // dy: like y -> returns dx: like x. Parameter gradients accumulate (grad +=); the trainer zeroes
  // them once per step.
  virtual const Tensor& backward(const Tensor& dy, RunContext& context) = 0;

  // Fixed order; the optimiser indexes its state by position in this list.
  virtual std::vector<Parameter> parameters() { return {}; }
  // State that is not trained by gradients but must be saved with the model (batch norm's
  // running mean and variance), in a fixed order.
  virtual std::vector<Tensor*> buffers() { return {}; }
  virtual void initialize(Random& /*rng*/) {}

  // False for the model's first trained layer: nothing reads the gradient with respect to the input
  // images, so layers that can (convolution, dense) skip computing it and backward's result is stale.
  void set_input_gradient_needed(bool needed) { input_gradient_needed_ = needed; }

 protected:
  bool input_gradient_needed_ = true;
};

}  // namespace profundo
