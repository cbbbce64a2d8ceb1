#include "train/config_json.hpp"

#include "core/json_fields.hpp"

#include <stdexcept>

namespace profundo {

using nlohmann::json;

using json_fields::read;
using json_fields::reject_unknown_keys;
using json_fields::require_object;

json to_json(const OptimizerConfig& c) { return settings_to_json(optimizer_settings(), c); }

OptimizerConfig optimizer_config_from_json(const json& optimizer, const std::string& where) {
  return settings_from_json(optimizer_settings(), optimizer, where);
}

json to_json(const TrainConfig& c) { return settings_to_json(train_settings(), c); }
json to_json(const DataConfig& c) { return settings_to_json(data_settings(), c); }

json to_json(const Normalization& n) { return {{"kind", n.kind}, {"mean", n.mean}, {"stddev", n.stddev}}; }

TrainConfig train_config_from_json(const json& object) { return settings_from_json(train_settings(), object, "training"); }
DataConfig data_config_from_json(const json& object) { return settings_from_json(data_settings(), object, "data"); }

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
