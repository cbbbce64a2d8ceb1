#include "optim/gradient_clipping.hpp"

#include <cmath>

namespace profundo {

ClipResult clip_gradients_by_global_norm(std::vector<Parameter>& parameters, float max_norm) {
  double squares = 0.0;  // in double: millions of terms
  for (const Parameter& p : parameters) squares += static_cast<double>(p.grad->vector().squaredNorm());
  ClipResult result{std::sqrt(squares), false};
  if (max_norm > 0.0f && result.norm > max_norm) {
    const float scale = static_cast<float>(max_norm / result.norm);
    for (Parameter& p : parameters) p.grad->vector() *= scale;
    result.clipped = true;
  }
  return result;
}

}  // namespace profundo
