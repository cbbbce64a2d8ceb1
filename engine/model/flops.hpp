// Floating-point work of a model, counted from its layer shapes: the multiply-adds of dense and
// convolution layers (2 FLOPs each), which dominate everything else. A training step costs about
// three forward passes (forward, input gradients, weight gradients).
#pragma once

#include "model/model.hpp"

namespace profundo {

// FLOPs of one sample's forward pass (GEMM work only).
double forward_flops_per_sample(const Model& model);
inline double training_flops_per_sample(const Model& model) { return 3.0 * forward_flops_per_sample(model); }

}  // namespace profundo
