// g(z) and g'(z) of the engine's activations (layers/activation) sampled on [from, to], for plots.
#pragma once

#include <string>
#include <vector>

namespace profundo {

struct ActivationCurve {
  std::vector<float> z, value, derivative;
};

// name: sigmoid, tanh, relu, leaky_relu or linear; slope is leaky ReLU's s. Throws on a bad name,
// fewer than 2 or more than 10000 points, or from ≥ to.
ActivationCurve activation_curve(const std::string& name, float from, float to, int points, float slope);

}  // namespace profundo
