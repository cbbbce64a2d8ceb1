#include "train/batch_trainer.hpp"

#include <stdexcept>

namespace profundo {

namespace {
Shape batched(int batch, const Shape& per_sample) {
  if (batch < 1) throw std::invalid_argument("batch size must be at least 1, got " + std::to_string(batch));
  Shape shape = {batch};
  shape.insert(shape.end(), per_sample.begin(), per_sample.end());
  return shape;
}
}  // namespace

BatchTrainer::BatchTrainer(const ModelSpec& model_spec, const TrainConfig& train_config, int threads)
    : pool_(threads), model_(model_spec), trainer_(model_, train_config, pool_) {
  model_.initialize(train_config.seed);
}

Tensor& BatchTrainer::input(int batch) {
  input_.resize(batched(batch, model_.input_shape()));
  return input_;
}

Tensor& BatchTrainer::target(int batch) {
  target_.resize(batched(batch, model_.output_shape()));
  return target_;
}

StepResult BatchTrainer::step() {
  if (input_.empty() || target_.empty() || input_.dim(0) != target_.dim(0))
    throw std::invalid_argument("fill input(n) and target(n) with the same batch size before a step");
  return trainer_.step(input_, target_);
}

const Tensor& BatchTrainer::predict() {
  if (input_.empty()) throw std::invalid_argument("fill input(n) before predicting");
  RunContext context{pool_, Mode::eval, nullptr};
  model_.loss().predict(model_.forward(input_, context), prediction_);
  return prediction_;
}

}  // namespace profundo
