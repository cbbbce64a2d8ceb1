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
    if (is_recurrent_layer(layer.type)) {  // per time step: gates · H outputs of x W_x + h W_h
      const double gates = layer.type == "lstm" ? 4.0 : layer.type == "gru" ? 3.0 : 1.0;
      flops += 2.0 * gates * outputs * (static_cast<double>(element_count(input)) + outputs);
    }
    input = rows[i].output_shape;
  }
  return flops;
}

}  // namespace profundo
