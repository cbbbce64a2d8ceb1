// Floating-point work of a model, counted from its layer shapes: the multiply-adds of dense and
// convolution layers (2 FLOPs each), which dominate everything else.
#pragma once

#include "model/model.hpp"

namespace profundo {

// FLOPs of one sample's forward pass (GEMM work only).
double forward_flops_per_sample(const Model& model);

// FLOPs of one sample's backward pass as Model::backward does it: every dense and convolution
// layer computes its weight gradient (as much work as its forward), and its input gradient (as much
// again) except the first layer with parameters, whose input gradient nothing needs.
double backward_flops_per_sample(const Model& model);

inline double training_flops_per_sample(const Model& model) {
  return forward_flops_per_sample(model) + backward_flops_per_sample(model);
}

}  // namespace profundo
