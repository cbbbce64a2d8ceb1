// JSON forms of the training, data and augmentation settings (the model's is in model_spec.hpp).
// Reading rejects unknown keys and wrong types with the field's path, like the model description.
#pragma once

#include "data/data_config.hpp"
#include "train/train_config.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace profundo {

// The optimiser block, shared by the image and the text training settings; errors start with `where`.
nlohmann::json to_json(const OptimizerConfig& config);
OptimizerConfig optimizer_config_from_json(const nlohmann::json& json, const std::string& where);

// The learning-rate schedule block, shared the same way.
nlohmann::json to_json(const ScheduleConfig& config);
ScheduleConfig schedule_config_from_json(const nlohmann::json& json, const std::string& where);

nlohmann::json to_json(const TrainConfig& config);
nlohmann::json to_json(const DataConfig& config);
nlohmann::json to_json(const Normalization& normalization);

TrainConfig train_config_from_json(const nlohmann::json& json);
DataConfig data_config_from_json(const nlohmann::json& json);
Normalization normalization_from_json(const nlohmann::json& json);

}  // namespace profundo
