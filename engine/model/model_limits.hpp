// Sizes a model may not exceed. A model description comes from files and from the page's editor
// and may claim anything (a dense layer of 2^31 units); the builder checks these limits before
// allocating, so the answer is a message, not an out-of-memory crash. The browser's wasm heap is at
// most 2 GB: with its gradient and Adam's two moments each parameter costs 16 bytes.
#pragma once

#include "core/tensor.hpp"
#include "model/model_spec.hpp"

namespace profundo {

// 50 M parameters: 800 MB with gradients and Adam state (VGG-sized models do not fit a tab anyway).
constexpr long long max_model_parameters = 50'000'000;
// Values of one sample at any layer's input or output (64 MB of floats per sample).
constexpr long long max_values_per_sample = 16'000'000;

// Parameters `layer` would hold on `input`, computed from the description alone (no allocation),
// by its layer type's row (model/layer_types.hpp); the layer's fields must have been validated.
long long planned_parameter_count(const LayerSpec& layer, const Shape& input);

// Throws std::invalid_argument naming `what` when a shape holds more than max_values_per_sample values.
void check_values_per_sample(const Shape& shape, const std::string& what);

}  // namespace profundo
