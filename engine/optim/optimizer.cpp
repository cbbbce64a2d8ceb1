#include "optim/optimizer.hpp"

#include "optim/adam.hpp"
#include "optim/momentum.hpp"
#include "optim/rmsprop.hpp"
#include "optim/sgd.hpp"


namespace profundo {

const Settings<OptimizerConfig>& optimizer_settings() {
  using C = OptimizerConfig;
  static const Settings<C> table = in_group<C>("optimizer", {
      field("kind", &C::kind).choices({"sgd", "momentum", "rmsprop", "adam"}).url({"optimizer"}).cli("optimizer").label("train.optimizer"),
      field("learning_rate", &C::learning_rate).above(0).url({"lr", "learningRate"}).cli("lr").label("train.learningRate"),
      field("beta", &C::beta).at_least(0).below(1).url({"beta", "momentumBeta"}).cli("beta").label("hyper.beta"),
      field("beta1", &C::beta1).at_least(0).below(1).url({"beta1"}).cli("beta1").label("hyper.beta1"),
      field("beta2", &C::beta2).at_least(0).below(1).url({"beta2"}).cli("beta2").label("hyper.beta2"),
      field("epsilon", &C::epsilon).above(0).url({"eps", "epsilon"}).cli("epsilon").label("hyper.epsilon"),
      field("amsgrad", &C::amsgrad).url({"amsgrad"}).cli("amsgrad").label("hyper.amsgrad"),
  });
  return table;
}

void validate(const OptimizerConfig& config) { validate_settings(optimizer_settings(), config, "optimizer"); }

void Optimizer::ensure_state(const std::vector<Parameter>& parameters, int per_parameter) {
  if (!state_.empty()) return;
  for (int copy = 0; copy < per_parameter; ++copy)
    for (const auto& parameter : parameters) state_.emplace_back(parameter.value->shape());
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config) {
  validate(config);
  if (config.kind == "sgd") return std::make_unique<Sgd>();
  if (config.kind == "momentum") return std::make_unique<Momentum>(config.beta);
  if (config.kind == "rmsprop") return std::make_unique<RmsProp>(config.beta, config.epsilon);
  return std::make_unique<Adam>(config.beta1, config.beta2, config.epsilon, config.amsgrad);
}

}  // namespace profundo
