#include "text/text_config.hpp"

#include "core/json_fields.hpp"
#include "model/model_limits.hpp"
#include "train/config_json.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

using nlohmann::json;

namespace {

void require_range(const char* field, int value, int low, int high) {
  if (value < low || value > high)
    throw std::invalid_argument(std::string("text.") + field + " must be in [" + std::to_string(low) + ", " +
                                std::to_string(high) + "], got " + std::to_string(value));
}

}  // namespace

void validate(const TextConfig& c) {
  if (c.cell != "rnn" && c.cell != "gru" && c.cell != "lstm")
    throw std::invalid_argument("text.cell must be rnn, gru or lstm, got '" + c.cell + "'");
  require_range("layers", c.layers, 1, 8);
  require_range("hidden_size", c.hidden_size, 1, 4096);
  require_range("embedding_size", c.embedding_size, 1, 4096);
  require_range("seq_length", c.seq_length, 1, 1000);
  require_range("batch_size", c.batch_size, 1, 1024);
  if (!(c.dropout >= 0.0f && c.dropout < 1.0f))
    throw std::invalid_argument("text.dropout must be in [0, 1), got " + std::to_string(c.dropout));
  if (!(c.clip_norm >= 0.0f) || !std::isfinite(c.clip_norm))
    throw std::invalid_argument("text.clip_norm must be zero (off) or positive, got " + std::to_string(c.clip_norm));
  if (!(c.validation_fraction >= 0.01f && c.validation_fraction <= 0.5f))
    throw std::invalid_argument("text.validation_fraction must be in [0.01, 0.5], got " +
                                std::to_string(c.validation_fraction));
  // Recurrent weights grow as hidden²: 8 LSTM layers of 4096 would need 4 GB. The same limit as
  // for image models, checked before anything is allocated (vocabulary-sized parts are small).
  const long long gates = c.cell == "lstm" ? 4 : c.cell == "gru" ? 3 : 1;
  const long long h = c.hidden_size;
  const long long recurrent = gates * h * (c.embedding_size + h) + (c.layers - 1) * gates * h * (2 * h);
  if (recurrent > max_model_parameters)
    throw std::invalid_argument("text: " + std::to_string(c.layers) + " " + c.cell + " layers of " +
                                std::to_string(c.hidden_size) + " units would have more than " +
                                std::to_string(max_model_parameters) + " parameters; use fewer or smaller layers");
  try {
    validate(c.optimizer);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("text.optimizer: ") + error.what());
  }
  try {
    validate(c.schedule);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("text.schedule: ") + error.what());
  }
  if (!(c.l2 >= 0.0f) || !std::isfinite(c.l2))
    throw std::invalid_argument("text.l2 must be zero or positive, got " + std::to_string(c.l2));
}

json to_json(const TextConfig& c) {
  return {{"cell", c.cell},
          {"layers", c.layers},
          {"hidden_size", c.hidden_size},
          {"embedding_size", c.embedding_size},
          {"dropout", c.dropout},
          {"seq_length", c.seq_length},
          {"batch_size", c.batch_size},
          {"optimizer", to_json(c.optimizer)},
          {"schedule", to_json(c.schedule)},
          {"l2", c.l2},
          {"clip_norm", c.clip_norm},
          {"validation_fraction", c.validation_fraction},
          {"seed", c.seed}};
}

TextConfig text_config_from_json(const json& object) {
  using json_fields::read;
  json_fields::require_object(object, "text");
  json_fields::reject_unknown_keys(object,
                                   {"cell", "layers", "hidden_size", "embedding_size", "dropout", "seq_length",
                                    "batch_size", "optimizer", "schedule", "l2", "clip_norm", "validation_fraction", "seed"},
                                   "text");
  TextConfig c;
  read(object, "cell", c.cell, "text");
  read(object, "layers", c.layers, "text");
  read(object, "hidden_size", c.hidden_size, "text");
  read(object, "embedding_size", c.embedding_size, "text");
  read(object, "dropout", c.dropout, "text");
  read(object, "seq_length", c.seq_length, "text");
  read(object, "batch_size", c.batch_size, "text");
  read(object, "l2", c.l2, "text");  // schedule and l2 are absent in files saved before they existed
  read(object, "clip_norm", c.clip_norm, "text");
  read(object, "validation_fraction", c.validation_fraction, "text");
  read(object, "seed", c.seed, "text");
  c.optimizer = optimizer_config_from_json(json_fields::child_object(object, "optimizer", "text"), "text.optimizer");
  c.schedule = schedule_config_from_json(json_fields::child_object(object, "schedule", "text"), "text.schedule");
  validate(c);
  return c;
}

}  // namespace profundo
