// "Inside the network": the distribution of every parameter and of its last gradient, and the
// learned convolution filters.
#pragma once

#include "inspect/histogram.hpp"
#include "model/model.hpp"

#include <string>
#include <vector>

namespace profundo {

struct ParameterHistograms {
  int layer = 0;           // index in the model's layers
  std::string layer_kind;  // "conv2d", "dense", "batchnorm"
  std::string name;        // "W", "b", "gamma", "beta"
  Shape shape;
  Histogram values;
  // The gradient of the last optimiser step (dJ/dW of its mini-batch, with the L2 term); all
  // zeros before the first step.
  Histogram gradients;
};

// One entry per parameter, in parameters() order.
std::vector<ParameterHistograms> parameter_histograms(Model& model, int bins);

struct ConvFilters {
  int layer = 0;
  Shape shape;                 // [K, C, kh, kw]: K filters, each C kernels of kh × kw
  std::vector<float> weights;  // row-major, as the layer holds them
};

// The weights of every conv2d layer, in layer order.
std::vector<ConvFilters> conv_filters(Model& model);

}  // namespace profundo
