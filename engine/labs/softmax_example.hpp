// The course's softmax slide for any logit vector z^[L]: softmax, hardmax and the cross-entropy
// L(y, ŷ) = −Σ_j y_j log ŷ_j = −log ŷ_c for a one-hot y of true class c.
#pragma once

#include <vector>

namespace profundo {

struct SoftmaxReport {
  std::vector<float> softmax;  // a^[L] = g(z^[L])
  std::vector<float> hardmax;  // 1 at the largest logit (the first one on ties), 0 elsewhere
  float loss = 0.0f;           // −log ŷ_c, from the engine's fused softmax cross-entropy
  int predicted = 0;           // argmax
};

// Throws std::invalid_argument for an empty or non-finite z, or a true class outside [0, K).
SoftmaxReport softmax_report(const std::vector<float>& logits, int true_class);

}  // namespace profundo
