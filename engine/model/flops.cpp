#include "model/flops.hpp"

namespace profundo {

double forward_flops_per_sample(const Model& model) {
  const ModelSpec& spec = model.spec();
  const std::vector<LayerSummary> rows = model.summary();
  Shape input = spec.input;
  double flops = 0.0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    const double outputs = static_cast<double>(element_count(rows[i].output_shape));
    if (layer.type == "dense") flops += 2.0 * static_cast<double>(element_count(input)) * outputs;
    if (layer.type == "conv2d")  // each output element: in_channels · k · k multiply-adds
      flops += 2.0 * outputs * input.at(0) * layer.kernel_size * layer.kernel_size;
    input = rows[i].output_shape;
  }
  return flops;
}

}  // namespace profundo
