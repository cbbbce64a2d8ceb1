#include "train/trainer.hpp"

#include "core/step_profile.hpp"
#include "optim/gradient_clipping.hpp"

#include <cmath>
#include <sstream>

namespace profundo {

namespace {
// The step's phases for profundo-bench --profile (core/step_profile.hpp); layers time their own parts.
ProfilePart forward_part("step: forward (all layers)");
ProfilePart loss_part("step: loss, forward and gradient");
ProfilePart backward_part("step: backward (all layers)");
ProfilePart clipping_part("step: L2 and clipping");
ProfilePart optimiser_part("step: optimiser update");
}  // namespace

Trainer::Trainer(Model& model, const TrainConfig& config, ThreadPool& pool)
    : model_(model),
      config_(config),
      pool_(pool),
      optimizer_((validate(config), make_optimizer(config.optimizer))),
      dropout_rng_(config.seed, RandomStream::dropout),
      input_size_(element_count(model.input_shape())),
      output_size_(element_count(model.output_shape())) {}

float Trainer::learning_rate() const {
  return learning_rate_at(config_.schedule, config_.optimizer.learning_rate, optimizer_->steps());
}

void Trainer::check_shapes(const Tensor& x, const Tensor& target) const {
  // Element counts only: no Shape is built on this per-step path unless something is wrong.
  const int rows = model_.rows(x);
  const std::string leading = model_.is_sequence() ? "[T, N, " : "[N, ";
  if (rows < 1 || x.size() != input_size_ * static_cast<std::size_t>(rows))
    throw std::invalid_argument("input batch has shape " + to_string(x.shape()) + ", expected " + leading +
                                to_string(model_.input_shape()).substr(1));
  const bool indices = model_.loss().takes_class_indices();
  if (target.size() != (indices ? 1 : output_size_) * static_cast<std::size_t>(rows))
    throw std::invalid_argument("target batch has shape " + to_string(target.shape()) + ", expected " +
                                (indices ? leading.substr(0, leading.size() - 2) + "] class indices"
                                         : leading + to_string(model_.output_shape()).substr(1)));
}

// m is the number of rows the data loss averages over: samples, or time steps × sequences.
float Trainer::l2_penalty(int rows) const {
  if (config_.l2 == 0.0f) return 0.0f;
  double squared = 0.0;
  for (const auto& parameter : model_.parameters())
    if (parameter.is_weight) squared += parameter.value->vector().squaredNorm();
  return static_cast<float>(config_.l2 / (2.0 * rows) * squared);
}

StepResult Trainer::step(const Tensor& x, const Tensor& target) {
  check_shapes(x, target);
  const int batch = model_.rows(x);
  RunContext context{pool_, Mode::train, &dropout_rng_};
  ProfileScope forward_scope(forward_part);
  const Tensor& output = model_.forward(x, context);
  forward_scope.stop();
  ProfileScope loss_scope(loss_part);
  StepResult result;
  result.data_loss = model_.loss().forward(output, target);
  result.loss = result.data_loss + l2_penalty(batch);
  result.learning_rate = learning_rate();
  if (!std::isfinite(result.loss)) {
    std::ostringstream text;
    text << "the loss became " << (std::isnan(result.loss) ? "NaN" : "infinite") << " at step "
         << optimizer_->steps() + 1 << " with learning rate " << result.learning_rate
         << "; training stopped before updating the weights. Try a smaller learning rate"
         << (config_.clip_norm > 0.0f ? "." : " or clip the gradients (clip_norm).");
    throw TrainingDiverged(text.str(), optimizer_->steps() + 1);
  }
  model_.zero_grad();
  const Tensor& output_grad = model_.loss().backward();
  loss_scope.stop();
  ProfileScope backward_scope(backward_part);
  model_.backward(output_grad, context);
  backward_scope.stop();
  ProfileScope clipping_scope(clipping_part);
  const float decay = config_.l2 / static_cast<float>(batch);  // d/dW of λ/(2m)‖W‖² is (λ/m)·W
  if (decay > 0.0f && !config_.l2_decoupled)
    for (auto& parameter : model_.parameters())
      if (parameter.is_weight) parameter.grad->vector() += decay * parameter.value->vector();
  const ClipResult clip = clip_gradients_by_global_norm(model_.parameters(), config_.clip_norm);
  result.grad_norm = static_cast<float>(clip.norm);
  result.clipped = clip.clipped;
  clipping_scope.stop();
  ProfileScope optimiser_scope(optimiser_part);
  // Decoupled: W ← (1 − α·λ/m)·W, then the optimiser's step from the gradient taken at the old W;
  // with plain gradient descent that is W − α·(∇ + (λ/m)·W), the coupled update.
  if (decay > 0.0f && config_.l2_decoupled)
    for (auto& parameter : model_.parameters())
      if (parameter.is_weight) parameter.value->vector() *= 1.0f - result.learning_rate * decay;
  optimizer_->step(model_.parameters(), result.learning_rate);
  optimiser_scope.stop();
  result.step = static_cast<int>(optimizer_->steps());
  return result;
}

}  // namespace profundo
