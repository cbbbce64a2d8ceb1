#include "train/config_json.hpp"

#include "core/json_fields.hpp"

#include <stdexcept>

namespace profundo {

using nlohmann::json;

using json_fields::read;
using json_fields::reject_unknown_keys;
using json_fields::require_object;

const json& object_at(const json& parent, const char* key, const std::string& where) {
  return json_fields::child_object(parent, key, where);
}

json to_json(const OptimizerConfig& c) {
  return {{"kind", c.kind},         {"learning_rate", c.learning_rate}, {"beta", c.beta},
          {"beta1", c.beta1},       {"beta2", c.beta2},                 {"epsilon", c.epsilon}};
}

OptimizerConfig optimizer_config_from_json(const json& optimizer, const std::string& where) {
  reject_unknown_keys(optimizer, {"kind", "learning_rate", "beta", "beta1", "beta2", "epsilon"}, where);
  OptimizerConfig c;
  read(optimizer, "kind", c.kind, where);
  read(optimizer, "learning_rate", c.learning_rate, where);
  read(optimizer, "beta", c.beta, where);
  read(optimizer, "beta1", c.beta1, where);
  read(optimizer, "beta2", c.beta2, where);
  read(optimizer, "epsilon", c.epsilon, where);
  return c;
}

json to_json(const ScheduleConfig& c) {
  return {{"kind", c.kind}, {"c1", c.c1}, {"c2", c.c2}, {"gamma", c.gamma}, {"step_size", c.step_size}};
}

ScheduleConfig schedule_config_from_json(const json& schedule, const std::string& where) {
  reject_unknown_keys(schedule, {"kind", "c1", "c2", "gamma", "step_size"}, where);
  ScheduleConfig c;
  read(schedule, "kind", c.kind, where);
  read(schedule, "c1", c.c1, where);
  read(schedule, "c2", c.c2, where);
  read(schedule, "gamma", c.gamma, where);
  read(schedule, "step_size", c.step_size, where);
  return c;
}

json to_json(const TrainConfig& c) {
  return {{"optimizer", to_json(c.optimizer)},
          {"schedule", to_json(c.schedule)},
          {"batch_size", c.batch_size},
          {"epochs", c.epochs},
          {"l2", c.l2},
          {"clip_norm", c.clip_norm},
          {"seed", c.seed}};
}

json to_json(const DataConfig& c) {
  return {{"dev_size", c.dev_size},
          {"normalization", c.normalization},
          {"augment",
           {{"max_shift", c.augment.max_shift},
            {"max_rotation", c.augment.max_rotation},
            {"max_zoom", c.augment.max_zoom},
            {"elastic_alpha", c.augment.elastic_alpha},
            {"elastic_sigma", c.augment.elastic_sigma}}}};
}

json to_json(const Normalization& n) { return {{"kind", n.kind}, {"mean", n.mean}, {"stddev", n.stddev}}; }

TrainConfig train_config_from_json(const json& object) {
  require_object(object, "training");
  reject_unknown_keys(object, {"optimizer", "schedule", "batch_size", "epochs", "l2", "clip_norm", "seed"}, "training");
  TrainConfig c;
  c.optimizer = optimizer_config_from_json(object_at(object, "optimizer", "training"), "training.optimizer");
  c.schedule = schedule_config_from_json(object_at(object, "schedule", "training"), "training.schedule");
  read(object, "batch_size", c.batch_size, "training");
  read(object, "epochs", c.epochs, "training");
  read(object, "l2", c.l2, "training");
  read(object, "clip_norm", c.clip_norm, "training");  // absent in files saved before clipping existed
  read(object, "seed", c.seed, "training");
  validate(c);
  return c;
}

DataConfig data_config_from_json(const json& object) {
  require_object(object, "data");
  reject_unknown_keys(object, {"dev_size", "normalization", "augment"}, "data");
  DataConfig c;
  read(object, "dev_size", c.dev_size, "data");
  read(object, "normalization", c.normalization, "data");
  const json& augment = object_at(object, "augment", "data");
  reject_unknown_keys(augment, {"max_shift", "max_rotation", "max_zoom", "elastic_alpha", "elastic_sigma"},
                      "data.augment");
  read(augment, "max_shift", c.augment.max_shift, "data.augment");
  read(augment, "max_rotation", c.augment.max_rotation, "data.augment");
  read(augment, "max_zoom", c.augment.max_zoom, "data.augment");
  read(augment, "elastic_alpha", c.augment.elastic_alpha, "data.augment");
  read(augment, "elastic_sigma", c.augment.elastic_sigma, "data.augment");
  validate(c.augment);
  return c;
}

Normalization normalization_from_json(const json& object) {
  require_object(object, "normalization");
  reject_unknown_keys(object, {"kind", "mean", "stddev"}, "normalization");
  Normalization n;
  read(object, "kind", n.kind, "normalization");
  read(object, "mean", n.mean, "normalization");
  read(object, "stddev", n.stddev, "normalization");
  if (n.kind != "none" && n.kind != "scale" && n.kind != "standardize")
    throw std::invalid_argument("normalization.kind: unknown kind '" + n.kind + "'");
  if (!(n.stddev > 0.0f)) throw std::invalid_argument("normalization.stddev must be positive");
  return n;
}

}  // namespace profundo
