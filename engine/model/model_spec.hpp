// The description of a model: input shape, a list of layer specs and a loss. It is what the page's
// editor, the JSON files and the presets all produce, and what Model is built from.
#pragma once

#include "core/tensor.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace profundo {

struct LayerSpec {
  // A row of model/layer_types.cpp (which also says which of the fields below the type reads,
  // with their ranges; the comments here say what each field means).
  std::string type;
  int units = 0;               // dense: output features; embedding: vector size E; rnn, gru, lstm: hidden size H
  int vocabulary_size = 0;     // embedding: V, the number of token indices
  int filters = 0;             // conv2d: output channels
  int kernel_size = 0;         // conv2d, maxpool2d, avgpool2d: square kernel side
  int stride = 0;              // conv2d: default 1; pooling: default kernel_size (0 = default)
  std::string padding = "valid";  // conv2d: valid (no padding) or same (output = ceil(input / stride))
  std::string init = "auto";   // dense, conv2d: weight init; auto = he_normal before ReLU-like, else xavier_uniform
  float bias = 0.0f;           // dense, conv2d: initial value of every bias
  float slope = 0.01f;         // leaky_relu: slope for z < 0
  float p = 0.5f;              // dropout: probability of dropping a unit
  float momentum = 0.9f;       // batchnorm: β of the running averages, running = β running + (1 − β) batch
  float epsilon = 1e-5f;       // batchnorm: added to the variance
};

struct ModelSpec {
  Shape input;                 // per-sample input shape, e.g. [1, 28, 28] or [784]
  std::vector<LayerSpec> layers;
  std::string loss = "softmax_cross_entropy";
};

// rnn, gru, lstm; and the layer types of the sequence family (layer_types.hpp): those that make a
// model a sequence model (see model.hpp).
bool is_recurrent_layer(const std::string& type);
bool is_sequence_layer(const std::string& type);
// Gate blocks of a recurrent cell (each an H-wide product of x W_x + h W_h): LSTM 4, GRU 3, RNN 1; 0 otherwise.
int recurrent_gate_count(const std::string& type);

// JSON form: {"input": [1,28,28], "layers": [{"type": "dense", "units": 10}, ...], "loss": "..."}.
// Unknown keys are rejected (a typo must not silently fall back to a default), and so are fields the
// layer's type does not read; values are checked against the layer table's ranges.
ModelSpec model_spec_from_json(const nlohmann::json& json);
ModelSpec model_spec_from_json_text(const std::string& text);
nlohmann::json to_json(const ModelSpec& spec);

}  // namespace profundo
