// "Inside the network": what each layer computes for one image (its feature maps), read from a
// trained model without changing it.
#pragma once

#include "core/thread_pool.hpp"
#include "model/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

class ClassifierSession;

struct LayerOutput {
  int layer = 0;              // index in the model's layers
  std::string kind;           // "conv2d", "relu", "maxpool2d", …
  Shape shape;                // per-sample shape: [C, H, W] for feature maps, [F] for dense layers
  std::vector<float> values;  // row-major, element_count(shape) values
};

// x: [1, ...input] -> one entry per layer, in order, in eval mode (dropout off, batch norm with its
// running statistics): the same pass that predict makes, so the last entry is the logits.
std::vector<LayerOutput> layer_outputs(Model& model, const Tensor& x, ThreadPool& pool);

// One image in the dataset's pixel format (uint8, C·H·W values), normalised as the session's
// training images were.
std::vector<LayerOutput> layer_outputs(ClassifierSession& session, const std::vector<std::uint8_t>& pixels);

}  // namespace profundo
