// A small dense network on 2-D points, trained step by step by the engine's Model and Trainer,
// for the labs on logistic regression (no hidden layer), non-linear activations, vanishing
// gradients, dying ReLU and mini-batch sizes. The output is one unit with sigmoid + binary
// cross-entropy: ŷ = σ(z^[L]), L(y, ŷ) = −(y log ŷ + (1 − y) log(1 − ŷ)).
#pragma once

#include "labs/layer_probe.hpp"
#include "model/model.hpp"
#include "train/trainer.hpp"

#include <memory>
#include <vector>

namespace profundo {

struct NetworkLabConfig {
  std::vector<int> hidden;          // units of each hidden layer; empty = logistic regression
  std::string activation = "relu";  // g of the hidden layers
  std::string init = "auto";        // weight initialisation of every dense layer
  float bias = 0.0f;                // initial b^[l] of the hidden layers
  bool batch_norm = false;          // batch norm between each hidden dense layer and its activation
  TrainConfig training;             // optimiser, α, schedule, mini-batch size, seed
};

// The model the lab trains: input [2], hidden dense(+batchnorm)+activation layers, dense(1), sigmoid BCE.
ModelSpec network_lab_spec(const NetworkLabConfig& config);

struct NetworkLabStep {
  int steps = 0;              // optimiser steps so far
  int epochs = 0;             // full passes over the points so far
  float batch_loss = 0.0f;    // J of the last mini-batch
  float loss = 0.0f;          // J over every point (eval mode)
  float accuracy = 0.0f;      // fraction of points with (ŷ > 0.5) == y
  float learning_rate = 0.0f; // α of the last step taken (evaluate(): of the next one)
  float seconds = 0.0f;       // time spent in train() so far
};

// W' = W^[L]···W^[1] and b' of a network whose activations are all linear: a^[L] = W' x + b'.
struct LinearCollapse {
  std::vector<float> weight;  // [1, 2]
  float bias = 0.0f;
  float max_difference = 0.0f;  // max over the points of |z^[L] − (W' x + b')|
};

class NetworkLab {
 public:
  // x: [m, 2] row-major, labels: [m] in {0, 1}. Throws std::invalid_argument naming the bad field.
  NetworkLab(const NetworkLabConfig& config, const std::vector<float>& x, const std::vector<float>& labels);

  // Replaces the points (the student clicked some in); keeps the weights.
  void set_points(const std::vector<float>& x, const std::vector<float>& labels);
  // `steps` mini-batch gradient-descent steps; the points are reshuffled at every epoch.
  NetworkLabStep train(int steps);
  // Whole epochs (used to compare mini-batch sizes epoch by epoch).
  NetworkLabStep train_epochs(int epochs);
  NetworkLabStep evaluate();

  // ŷ on a columns × rows grid over [w1_min, w1_max] × [w2_min, w2_max] (row 0 at x2 = min).
  std::vector<float> predict_grid(float x1_min, float x1_max, float x2_min, float x2_max, int columns, int rows);
  std::vector<float> weight_gradient_norms() { return profundo::weight_gradient_norms(model_); }
  std::vector<LayerStatistics> activation_statistics(int bins);
  LinearCollapse linear_collapse();
  // Batch norm's running mean μ and variance σ² of every unit of the `index`-th batch-norm layer
  // (0 = after the first hidden dense layer): [mean..., variance...].
  std::vector<float> batch_norm_running(int index);

  // Parameters in Model::parameters() order (W^[1], b^[1], W^[2], ...): values and last gradients.
  int parameter_count() { return static_cast<int>(model_.parameters().size()); }
  std::vector<float> parameter(int index) const { return model_.parameter_values(index); }
  std::vector<float> gradient(int index);
  int points() const { return count_; }

 private:
  NetworkLabConfig config_;
  ThreadPool pool_;
  Model model_;
  Trainer trainer_;
  Random shuffle_rng_;
  Tensor x_, y_, batch_x_, batch_y_;
  std::vector<int> order_;
  int count_ = 0;
  int cursor_ = 0;  // next position in order_
  int epochs_ = 0;
  float last_batch_loss_ = 0.0f;
  double seconds_ = 0.0;
};

}  // namespace profundo
