// A sequential model built from a ModelSpec: layers applied in order, then a loss.
#pragma once

#include "layers/layer.hpp"
#include "losses/loss.hpp"
#include "model/model_spec.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace profundo {

struct LayerSummary {
  std::string type;
  Shape output_shape;
  int parameter_count = 0;
};

class Model {
 public:
  // Validates the whole spec first (sizes, types, shapes that fit) and throws std::invalid_argument
  // with the layer index, the field and the value when something is wrong.
  explicit Model(const ModelSpec& spec);

  const ModelSpec& spec() const { return spec_; }
  const Shape& input_shape() const { return spec_.input; }
  Shape output_shape() const;
  std::vector<LayerSummary> summary() const;
  long long parameter_count() const;

  // Draws every parameter from the initialisation stream of `seed`.
  void initialize(std::uint32_t seed);

  // x: [N, ...input] -> logits (or outputs) [N, ...output]
  const Tensor& forward(const Tensor& x, RunContext& context);
  // d(loss)/d(output) -> accumulates every parameter gradient (the gradient with respect to x itself
  // is not computed)
  void backward(const Tensor& output_grad, RunContext& context);

  std::vector<Parameter>& parameters() { return parameters_; }
  // Copies values in or out of parameter `index` (in parameters() order), checking index and size.
  std::vector<float> parameter_values(int index) const;
  void set_parameter_values(int index, const std::vector<float>& values);
  void zero_grad();
  Loss& loss() { return *loss_; }
  std::vector<std::unique_ptr<Layer>>& layers() { return layers_; }

 private:
  ModelSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::unique_ptr<Loss> loss_;
  std::vector<Parameter> parameters_;
  std::size_t first_trained_layer_ = 0;
  // relu_after_conv_[i]: layer i is a convolution and layer i + 1 a ReLU. In evaluation the
  // convolution clamps its own output and the ReLU is skipped: one pass over the activations less.
  std::vector<bool> relu_after_conv_;
};

}  // namespace profundo
