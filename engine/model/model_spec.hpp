// The description of a model: input shape, a list of layer specs and a loss. It is what the page's
// editor, the JSON files and the presets all produce, and what Model is built from.
#pragma once

#include "core/tensor.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace profundo {

struct LayerSpec {
  std::string type;            // dense, relu, leaky_relu, sigmoid, tanh, linear, softmax, flatten
  int units = 0;               // dense: output features
  std::string init = "auto";   // dense: weight init; auto = he_normal before ReLU-like, else xavier_uniform
  float bias = 0.0f;           // dense: initial value of every bias
  float slope = 0.01f;         // leaky_relu: slope for z < 0
};

struct ModelSpec {
  Shape input;                 // per-sample input shape, e.g. [1, 28, 28] or [784]
  std::vector<LayerSpec> layers;
  std::string loss = "softmax_cross_entropy";
};

// JSON form: {"input": [1,28,28], "layers": [{"type": "dense", "units": 10}, ...], "loss": "..."}.
// Unknown keys are rejected (a typo must not silently fall back to a default).
ModelSpec model_spec_from_json(const nlohmann::json& json);
ModelSpec model_spec_from_json_text(const std::string& text);
nlohmann::json to_json(const ModelSpec& spec);

}  // namespace profundo
