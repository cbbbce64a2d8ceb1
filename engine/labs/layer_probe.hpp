// Looks inside a model while it learns: the output of every layer on a batch, the gradient norm
// ‖dW^[l]‖ of every weight, the fraction of dead ReLU units and activation histograms per layer.
#pragma once

#include "model/model.hpp"

#include <vector>

namespace profundo {

// Runs x through the model layer by layer in eval mode and returns a copy of each layer's output.
std::vector<Tensor> layer_outputs(Model& model, const Tensor& x);

// ‖dW^[l]‖ (Frobenius norm) of each weight parameter (dense W^[1], W^[2], ...), from the gradients
// the last backward pass left in the model.
std::vector<float> weight_gradient_norms(Model& model);

struct LayerStatistics {
  std::string kind;            // the activation's name: relu, tanh, sigmoid, leaky_relu, linear
  float mean = 0, stddev = 0;  // over every unit and sample
  float dead_fraction = 0;     // units whose output is ≤ 0 for every sample (a dead ReLU never recovers)
  float min = 0, max = 0;      // the histogram's range (the values' own range unless one is given)
  std::vector<float> histogram;  // fraction of values in each of `bins` equal bins over [min, max]
};

// One entry per activation layer (the hidden layers' a^[l]), in order. The histograms cover
// [low, high] when high > low (values outside go to the end bins), else each layer's own range.
std::vector<LayerStatistics> activation_statistics(Model& model, const Tensor& x, int bins, float low = 0.0f, float high = 0.0f);

}  // namespace profundo
