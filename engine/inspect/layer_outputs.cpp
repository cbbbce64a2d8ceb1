#include "inspect/layer_outputs.hpp"

#include "data/augmentation.hpp"
#include "train/classifier_session.hpp"

#include <stdexcept>

namespace profundo {

std::vector<LayerOutput> layer_outputs(Model& model, const Tensor& x, ThreadPool& pool) {
  Shape expected = model.input_shape();
  expected.insert(expected.begin(), 1);
  if (x.shape() != expected)
    throw std::invalid_argument("layer outputs: expected one sample " + to_string(expected) + ", got " +
                                to_string(x.shape()));
  RunContext context{pool, Mode::eval, nullptr};
  std::vector<LayerOutput> outputs;
  const Tensor* current = &x;
  int index = 0;
  for (auto& layer : model.layers()) {
    current = &layer->forward(*current, context);
    outputs.push_back({index++, layer->kind(), layer->output_shape(),
                       std::vector<float>(current->data(), current->data() + current->size())});
  }
  return outputs;
}

std::vector<LayerOutput> layer_outputs(ClassifierSession& session, const std::vector<std::uint8_t>& pixels) {
  Model& model = session.model();
  const std::size_t expected = element_count(model.input_shape());
  if (pixels.size() != expected)
    throw std::invalid_argument("layer outputs: expected " + std::to_string(expected) + " pixels, got " +
                                std::to_string(pixels.size()));
  Shape shape = model.input_shape();
  shape.insert(shape.begin(), 1);
  Tensor x(shape);
  const PixelNormalization normalization = pixel_normalization(session.normalization());
  for (std::size_t i = 0; i < expected; ++i)
    x[i] = static_cast<float>(pixels[i]) * normalization.scale + normalization.shift;
  return layer_outputs(model, x, session.pool());
}

}  // namespace profundo
