// The path of one of the engine's optimisers (optim/: SGD, momentum, RMSProp, Adam) on a 2-D
// loss surface: the point W = (w1, w2) is a two-element parameter whose gradient dW the surface
// supplies, and the optimiser's real step() updates it.
#pragma once

#include "labs/loss_surface.hpp"
#include "optim/optimizer.hpp"

#include <vector>

namespace profundo {

struct Trajectory {
  std::vector<float> w1, w2, loss;  // steps + 1 points: the start, then after each step
  bool diverged = false;            // stopped early: J or W left the finite numbers (or |W| > 1e6)
};

// Throws std::invalid_argument for a bad optimiser config (named field), steps outside [0, 100000]
// or a non-finite start.
Trajectory optimizer_trajectory(SurfaceKind surface, const OptimizerConfig& optimizer, float w1, float w2, int steps);

}  // namespace profundo
