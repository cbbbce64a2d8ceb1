// One gradient-descent step on a mini-batch, for any model (images, features or sequences): forward,
// loss, divergence check, backward, L2, clipping by global norm, the scheduled learning rate and the
// optimiser update. Batch, stochastic and mini-batch gradient descent are all this step with
// different batch sizes; truncated BPTT is this step on consecutive chunks (the recurrent layers
// carry their state between steps).
#pragma once

#include "model/model.hpp"
#include "optim/optimizer.hpp"
#include "train/train_config.hpp"

#include <memory>
#include <stdexcept>

namespace profundo {

// Thrown when the loss stops being a finite number. The weights are those from before the step.
class TrainingDiverged : public std::runtime_error {
 public:
  TrainingDiverged(const std::string& message, long long step) : std::runtime_error(message), step_(step) {}
  long long step() const { return step_; }

 private:
  long long step_;
};

struct StepResult {
  float loss = 0.0f;           // J: mean data loss + L2 term
  float data_loss = 0.0f;      // 1/m Σ L(y, ŷ)
  float learning_rate = 0.0f;  // α used for this step
  int step = 0;                // steps taken so far, this one included
  float grad_norm = 0.0f;      // global gradient norm before clipping (with the L2 term)
  bool clipped = false;        // whether the gradients were scaled down to clip_norm
};

class Trainer {
 public:
  Trainer(Model& model, const TrainConfig& config, ThreadPool& pool);

  // x: [N, ...input], target: [N, ...output]; for a sequence model x: [T, N, ...input] and target
  // [T, N, ...output] (or [T, N] class indices). Throws TrainingDiverged on a NaN or infinite loss
  // (before touching the weights) and std::invalid_argument on shapes that do not fit the model.
  StepResult step(const Tensor& x, const Tensor& target);

  long long steps() const { return optimizer_->steps(); }
  float learning_rate() const;
  Optimizer& optimizer() { return *optimizer_; }
  Random& dropout_rng() { return dropout_rng_; }
  const TrainConfig& config() const { return config_; }

 private:
  void check_shapes(const Tensor& x, const Tensor& target) const;
  float l2_penalty(int rows) const;

  Model& model_;
  TrainConfig config_;
  ThreadPool& pool_;
  std::unique_ptr<Optimizer> optimizer_;
  Random dropout_rng_;
  std::size_t input_size_, output_size_;  // elements per sample
};

}  // namespace profundo
