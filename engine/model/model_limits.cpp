#include "model/model_limits.hpp"

#include "model/layer_types.hpp"

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
  const LayerType& type = layer_type(layer.type);
  const long double count = type.parameters ? type.parameters(layer, input) : 0;
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
