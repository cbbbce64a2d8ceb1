#include "model/model_limits.hpp"

#include <stdexcept>

namespace profundo {

namespace {

// Products in long double so that no claimed size can overflow before the comparison.
long double values_in(const Shape& shape) {
  long double count = 1;
  for (int d : shape) count *= d;
  return count;
}

}  // namespace

long long planned_parameter_count(const LayerSpec& layer, const Shape& input) {
  const long double features = values_in(input);
  long double count = 0;
  if (layer.type == "dense" && layer.units > 0) {
    count = features * layer.units + layer.units;
  } else if (layer.type == "conv2d" && input.size() == 3 && layer.filters > 0 && layer.kernel_size > 0) {
    const long double kernel = static_cast<long double>(layer.kernel_size) * layer.kernel_size;
    count = static_cast<long double>(layer.filters) * input[0] * kernel + layer.filters;
  } else if (layer.type == "embedding" && layer.units > 0 && layer.vocabulary_size > 0) {
    count = static_cast<long double>(layer.vocabulary_size) * layer.units;
  } else if (is_recurrent_layer(layer.type) && layer.units > 0) {
    // Gates × (W_x, W_h and the bias), the GRU with its second bias.
    const long double gates = recurrent_gate_count(layer.type);
    const long double h = layer.units;
    count = gates * h * (features + h + (layer.type == "gru" ? 2 : 1));
  } else if (layer.type == "batchnorm" && !input.empty()) {
    count = 2.0L * input[0];  // γ and β per channel (or per feature)
  }
  return count > static_cast<long double>(max_model_parameters) ? max_model_parameters + 1
                                                                : static_cast<long long>(count);
}

void check_values_per_sample(const Shape& shape, const std::string& what) {
  if (values_in(shape) > static_cast<long double>(max_values_per_sample))
    throw std::invalid_argument(what + " " + to_string(shape) + " holds more than " +
                                std::to_string(max_values_per_sample) +
                                " values per sample; use smaller layers (or pooling / stride)");
}

}  // namespace profundo
