// A sequential model built from a ModelSpec: layers applied in order, then a loss.
//
// Layout. An image or feature model runs on [N, ...input] batches. A sequence model, one with an
// embedding or a recurrent (rnn, gru, lstm) layer, runs on [T, N, ...input]: time first, the batch
// second; recurrent layers walk the time axis, every other layer treats the T·N steps as rows of
// one batch (dense and dropout per time step), and the loss averages over those T·N rows.
#pragma once

#include "layers/conv2d.hpp"
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

  bool is_sequence() const { return is_sequence_; }
  // Rows the loss averages over: N, or T·N for a sequence model (x: [T, N, ...]).
  int rows(const Tensor& x) const;

  // x: [N, ...input] -> logits (or outputs) [N, ...output]; a sequence model: [T, N, ...] in and out.
  const Tensor& forward(const Tensor& x, RunContext& context);
  // One step of forward(): runs layer i on *current (and, in evaluation, the ReLU and max-pooling
  // fused into the convolution before them), points current at the output and returns how many
  // layers ran.
  std::size_t forward_layer(std::size_t i, const Tensor*& current, RunContext& context);
  // d(loss)/d(output) -> accumulates every parameter gradient (the gradient with respect to x itself
  // is not computed)
  void backward(const Tensor& output_grad, RunContext& context);

  std::vector<Parameter>& parameters() { return parameters_; }
  // Copies values in or out of parameter `index` (in parameters() order), checking index and size.
  std::vector<float> parameter_values(int index) const;
  void set_parameter_values(int index, const std::vector<float>& values);
  void zero_grad();
  Loss& loss() { return *loss_; }

  // The recurrent layers' carried state ({h} or {h, c} per layer, in layer order), each [N, H], for
  // truncated BPTT across calls, checkpoints and sampling. Listed once with the model.
  const std::vector<Tensor*>& state() { return state_; }
  // Zeros every recurrent layer's state for a batch of N sequences.
  void reset_state(int batch);
  // For gradient checks: dropout layers keep their last masks instead of drawing new ones.
  void freeze_dropout_masks(bool frozen);
  std::vector<std::unique_ptr<Layer>>& layers() { return layers_; }

 private:
  ModelSpec spec_;
  bool is_sequence_ = false;
  std::vector<Tensor*> state_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::unique_ptr<Loss> loss_;
  std::vector<Parameter> parameters_;
  std::size_t first_trained_layer_ = 0;
  // The layers that evaluation runs inside convolution i (Conv2d::Fused): fewer passes over the
  // activations. Empty (layers() == 1) for every other layer.
  std::vector<Conv2d::Fused> eval_fusion_;
};

}  // namespace profundo
