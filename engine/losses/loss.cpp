#include "losses/loss.hpp"

#include "losses/mean_squared_error.hpp"
#include "losses/sigmoid_binary_cross_entropy.hpp"
#include "losses/softmax_cross_entropy.hpp"
#include "losses/sparse_softmax_cross_entropy.hpp"

#include <stdexcept>

namespace profundo {

std::unique_ptr<Loss> make_loss(const std::string& kind) {
  if (kind == "softmax_cross_entropy") return std::make_unique<SoftmaxCrossEntropy>();
  if (kind == "sparse_softmax_cross_entropy") return std::make_unique<SparseSoftmaxCrossEntropy>();
  if (kind == "sigmoid_binary_cross_entropy") return std::make_unique<SigmoidBinaryCrossEntropy>();
  if (kind == "mean_squared_error") return std::make_unique<MeanSquaredError>();
  throw std::invalid_argument("loss: unknown loss '" + kind +
                              "' (expected softmax_cross_entropy, sparse_softmax_cross_entropy, sigmoid_binary_cross_entropy or mean_squared_error)");
}

}  // namespace profundo
