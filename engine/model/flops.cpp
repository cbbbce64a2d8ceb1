#include "model/flops.hpp"

#include "model/layer_types.hpp"

#include <numeric>

namespace profundo {

namespace {

// Forward FLOPs of each layer for one sample (0 for layers without multiply-adds).
std::vector<double> layer_forward_flops(const Model& model) {
  const ModelSpec& spec = model.spec();
  const std::vector<LayerSummary> rows = model.summary();
  std::vector<double> flops(rows.size(), 0.0);
  Shape input = spec.input;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LayerType& type = layer_type(spec.layers[i].type);
    if (type.flops) flops[i] = type.flops(spec.layers[i], input, rows[i].output_shape);
    input = rows[i].output_shape;
  }
  return flops;
}

}  // namespace

double forward_flops_per_sample(const Model& model) {
  const std::vector<double> flops = layer_forward_flops(model);
  return std::accumulate(flops.begin(), flops.end(), 0.0);
}

double backward_flops_per_sample(const Model& model) {
  const std::vector<double> flops = layer_forward_flops(model);
  const std::vector<LayerSummary> rows = model.summary();
  std::size_t first_trained = rows.size();  // where Model::backward stops
  for (std::size_t i = 0; i < rows.size() && first_trained == rows.size(); ++i)
    if (rows[i].parameter_count > 0) first_trained = i;
  double total = 0.0;
  // Weight gradient (one forward's work) everywhere, input gradient (another) after the first.
  for (std::size_t i = first_trained; i < rows.size(); ++i) total += (i == first_trained ? 1.0 : 2.0) * flops[i];
  return total;
}

}  // namespace profundo
