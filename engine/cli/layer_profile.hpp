// Where a training step spends its time: forward and backward of each layer, the loss and the
// optimiser, measured over repeated steps; and where an inference spends it (profundo-bench --profile).
#pragma once

#include "model/model.hpp"
#include "optim/optimizer.hpp"

#include <string>
#include <vector>

namespace profundo::cli {

struct LayerTime {
  std::string name;      // "3 conv2d"
  double forward = 0;    // seconds per step
  double backward = 0;
};

// Runs training steps on (x, target) for about `seconds` after one warm-up step; the last row is
// "loss + optimiser".
std::vector<LayerTime> profile_training_step(Model& model, Optimizer& optimizer, const Tensor& x,
                                             const Tensor& target, int threads, double seconds);

// Runs evaluation forwards on x (as predict does: a ReLU after a convolution fused into it) for about
// `seconds` after one warm-up; a fused pair is one row ("0 conv2d+relu"), backward stays 0.
std::vector<LayerTime> profile_inference(Model& model, const Tensor& x, int threads, double seconds);

void print_layer_profile(const std::vector<LayerTime>& times);

}  // namespace profundo::cli
