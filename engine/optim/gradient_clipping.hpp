// Gradient clipping by global norm (Pascanu et al. 2013; PyTorch's clip_grad_norm_): when
// ‖g‖ = √(Σ over every parameter of Σ g²) exceeds max_norm, every gradient is scaled by max_norm/‖g‖,
// so the step keeps its direction but not its size. Exploding gradients in recurrent networks are
// the reason it exists.
#pragma once

#include "layers/layer.hpp"

#include <vector>

namespace profundo {

struct ClipResult {
  double norm = 0.0;     // the global norm before clipping
  bool clipped = false;  // whether the gradients were scaled
};

// max_norm ≤ 0 means no clipping (the norm is still measured).
ClipResult clip_gradients_by_global_norm(std::vector<Parameter>& parameters, float max_norm);

}  // namespace profundo
