// Input normalisation (course: "Normalización del input") on a model with two parameters,
// ŷ = w1 x1 + w2 x2 (a dense layer with its bias held at 0) and J = 1/m Σ (ŷ − y)²: the loss
// contours over (w1, w2) and the gradient-descent path, on raw inputs (x1 is ~10 times larger
// than x2, so J is an elongated valley) or normalised ones, x = (x − μ) / σ (and y centred), where
// J is nearly round and both parameters move in equal proportions.
#pragma once

#include <cstdint>
#include <vector>

namespace profundo {

struct NormalizationLabConfig {
  bool normalize = false;
  float learning_rate = 0.01f;
  int steps = 100;
  int columns = 60, rows = 60;  // contour grid
  int samples = 200;
  std::uint32_t seed = 1;
};

struct NormalizationLabReport {
  std::vector<float> mean, stddev;    // μ and σ of x1, x2 (what normalisation divides by)
  std::vector<float> optimum;         // the least-squares (w1, w2)
  float w1_min = 0, w1_max = 0, w2_min = 0, w2_max = 0;
  std::vector<float> grid;            // J over [rows, columns]; row 0 at w2_min
  std::vector<float> path_w1, path_w2, path_loss;  // from (0, 0), steps + 1 points
  bool diverged = false;
};

// Throws std::invalid_argument naming the bad field.
NormalizationLabReport normalization_lab(const NormalizationLabConfig& config);

}  // namespace profundo
