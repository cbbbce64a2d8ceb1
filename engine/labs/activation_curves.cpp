#include "labs/activation_curves.hpp"

#include "layers/activation.hpp"

#include <stdexcept>

namespace profundo {

ActivationCurve activation_curve(const std::string& name, float from, float to, int points, float slope) {
  const ActivationKind kind = parse_activation(name);
  if (points < 2 || points > 10000) throw std::invalid_argument("curve.points must be between 2 and 10000, got " + std::to_string(points));
  if (!(from < to)) throw std::invalid_argument("curve: from must be smaller than to");
  ActivationCurve curve;
  for (int i = 0; i < points; ++i) {
    const float z = from + (to - from) * static_cast<float>(i) / static_cast<float>(points - 1);
    curve.z.push_back(z);
    curve.value.push_back(activation_value(kind, z, slope));
    curve.derivative.push_back(activation_derivative(kind, z, slope));
  }
  return curve;
}

}  // namespace profundo
