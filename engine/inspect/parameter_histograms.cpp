#include "inspect/parameter_histograms.hpp"

namespace profundo {

std::vector<ParameterHistograms> parameter_histograms(Model& model, int bins) {
  std::vector<ParameterHistograms> result;
  int index = 0;
  for (auto& layer : model.layers()) {
    for (const Parameter& parameter : layer->parameters()) {
      const Tensor& value = *parameter.value;
      const Tensor& grad = *parameter.grad;
      result.push_back({index, layer->kind(), parameter.name, value.shape(), make_histogram(value.data(), value.size(), bins),
                        make_histogram(grad.data(), grad.size(), bins)});
    }
    ++index;
  }
  return result;
}

std::vector<ConvFilters> conv_filters(Model& model) {
  std::vector<ConvFilters> result;
  int index = 0;
  for (auto& layer : model.layers()) {
    if (layer->kind() == "conv2d") {
      for (const Parameter& parameter : layer->parameters()) {
        const Tensor& value = *parameter.value;
        if (value.rank() != 4) continue;  // the bias
        result.push_back({index, value.shape(), std::vector<float>(value.data(), value.data() + value.size())});
      }
    }
    ++index;
  }
  return result;
}

}  // namespace profundo
