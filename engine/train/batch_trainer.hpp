// A model with its trainer and engine-owned input/target buffers, for callers that bring their own
// batches (the browser labs write points, curves or images straight into these buffers).
#pragma once

#include "model/model.hpp"
#include "train/trainer.hpp"

namespace profundo {

class BatchTrainer {
 public:
  BatchTrainer(const ModelSpec& model_spec, const TrainConfig& train_config, int threads);

  // Resize the buffers for a batch of `batch` samples and return them for the caller to fill:
  // input [batch, ...model input], target [batch, ...model output].
  Tensor& input(int batch);
  Tensor& target(int batch);

  // One step on the current buffers (they must hold the same batch size).
  StepResult step();
  // Predictions for the current input buffer in eval mode (probabilities for classification losses).
  const Tensor& predict();

  Model& model() { return model_; }
  Trainer& trainer() { return trainer_; }
  int threads() const { return pool_.threads(); }

 private:
  ThreadPool pool_;
  Model model_;
  Trainer trainer_;
  Tensor input_, target_, prediction_;
};

}  // namespace profundo
