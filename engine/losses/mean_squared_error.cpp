#include "losses/mean_squared_error.hpp"

namespace profundo {

float MeanSquaredError::forward(const Tensor& output, const Tensor& target) {
  const float count = static_cast<float>(output.size());
  grad_.resize(output.shape());
  grad_.vector() = (output.vector() - target.vector()) * (2.0f / count);
  // Σ (o − t)^2 / count, read back from the gradient to avoid a temporary.
  return grad_.vector().squaredNorm() * count / 4.0f;
}

}  // namespace profundo
