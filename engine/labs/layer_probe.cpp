#include "labs/layer_probe.hpp"

#include "layers/activation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace profundo {

std::vector<Tensor> layer_outputs(Model& model, const Tensor& x) {
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  std::vector<Tensor> outputs;
  const Tensor* current = &x;
  for (auto& layer : model.layers()) {
    current = &layer->forward(*current, context);
    outputs.push_back(*current);
  }
  return outputs;
}

std::vector<float> weight_gradient_norms(Model& model) {
  std::vector<float> norms;
  for (const auto& parameter : model.parameters())
    if (parameter.is_weight) norms.push_back(parameter.grad->vector().norm());
  return norms;
}

std::vector<LayerStatistics> activation_statistics(Model& model, const Tensor& x, int bins, float low, float high) {
  if (bins < 1 || bins > 1000) throw std::invalid_argument("histogram bins must be between 1 and 1000, got " + std::to_string(bins));
  const std::vector<Tensor> outputs = layer_outputs(model, x);
  std::vector<LayerStatistics> statistics;
  for (std::size_t l = 0; l < outputs.size(); ++l) {
    const auto* activation = dynamic_cast<const Activation*>(model.layers()[l].get());
    if (!activation) continue;
    const Tensor& a = outputs[l];
    LayerStatistics s;
    s.kind = to_string(activation->activation());
    const auto values = a.vector();
    s.mean = values.mean();
    s.stddev = std::sqrt((values.array() - s.mean).square().mean());
    s.min = high > low ? low : values.minCoeff();
    s.max = high > low ? high : values.maxCoeff();
    if (s.max - s.min < 1e-6f) s.max = s.min + 1e-6f;  // all equal: one bin holds everything
    s.histogram.assign(static_cast<std::size_t>(bins), 0.0f);
    const float width = (s.max - s.min) / static_cast<float>(bins);
    for (Eigen::Index i = 0; i < values.size(); ++i) {
      const int bin = std::clamp(static_cast<int>((values[i] - s.min) / width), 0, bins - 1);
      s.histogram[static_cast<std::size_t>(bin)] += 1.0f;
    }
    for (float& count : s.histogram) count /= static_cast<float>(values.size());
    // A unit is dead when its column is ≤ 0 for the whole batch.
    const auto m = a.matrix();
    int dead = 0;
    for (Eigen::Index unit = 0; unit < m.cols(); ++unit)
      if (m.col(unit).maxCoeff() <= 0.0f) ++dead;
    s.dead_fraction = static_cast<float>(dead) / static_cast<float>(m.cols());
    statistics.push_back(std::move(s));
  }
  return statistics;
}

}  // namespace profundo
