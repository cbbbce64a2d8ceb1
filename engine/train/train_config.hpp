// Everything that decides how a model is trained. Defaults follow the course's recommendations.
#pragma once

#include "optim/optimizer.hpp"
#include "optim/schedule.hpp"

#include <cstdint>
#include <string>

namespace profundo {

struct TrainConfig {
  OptimizerConfig optimizer;
  ScheduleConfig schedule;
  // 1 = stochastic gradient descent, the training-set size = batch gradient descent, else mini-batch.
  int batch_size = 64;
  int epochs = 1;
  // L2 regularisation: J = 1/m Σ L + λ/(2m) Σ‖W‖² over weights (not biases); m = batch size.
  float l2 = 0.0f;
  // How L2 reaches the weights. false: λ/m·W joins the gradient, which the optimiser then rescales
  // (Adam and RMSProp shrink it with the rest). true: the weights decay by the factor 1 − α·λ/m
  // before the optimiser's step, outside it (decoupled weight decay, AdamW: Loshchilov & Hutter
  // 2019). For plain gradient descent the two are the same update.
  bool l2_decoupled = false;
  // Gradient clipping by global norm (optim/gradient_clipping.hpp); 0 = off.
  float clip_norm = 0.0f;
  std::uint32_t seed = 1;
  // The model a run ends with, chosen on the dev split (never on test): best (dev accuracy) or last epoch.
  std::string keep = "best";
  // Stop after this many epochs in a row without a better dev accuracy; 0 = never.
  int patience = 0;
};

// Every field's key, range, URL key, CLI option and label, the optimiser's and schedule's included.
const Settings<TrainConfig>& train_settings();
// Throws SettingError naming the field ("training.epochs"), its value and its range.
void validate(const TrainConfig& config);

}  // namespace profundo
