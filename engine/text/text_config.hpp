// Settings of a character-level language model run: the network, truncated BPTT, the optimiser,
// clipping and the corpus split. The defaults are the best ten native minutes on two cores found on
// the validation split (README, "Text presets"): one LSTM layer of 512 units, big enough to keep
// improving for ten minutes, held back by dropout 0.3 on the embedding output and before the head
// (256 units without dropout overfit after 80 s), with α halving every 3,000 steps so the last
// thousands of steps refine rather than wander. T 64 rather than 100 gives more updates for the
// same characters.
#pragma once

#include "optim/optimizer.hpp"
#include "optim/schedule.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace profundo {

struct TextConfig {
  std::string cell = "lstm";         // rnn, gru or lstm
  int layers = 1;
  int hidden_size = 512;
  int embedding_size = 64;
  float dropout = 0.3f;              // p of the dropout layers: between stacked layers, and where asked
  bool dropout_embedding = true;     // also on the embedding output
  bool dropout_head = true;          // also before the softmax head (on the last layer's output)
  int seq_length = 64;               // T: characters per truncated-BPTT chunk
  int batch_size = 32;               // N: parallel streams through the text
  OptimizerConfig optimizer{"adam", 0.003f, 0.9f, 0.9f, 0.999f, 1e-8f};
  ScheduleConfig schedule{"exponential", 1.0f, 100.0f, 0.5f, 3000};  // α·0.5^(t/3000), as for images
  float l2 = 0.0f;                   // λ of λ/(2m)‖W‖², m = T·N predicted characters
  float clip_norm = 5.0f;            // global-norm clipping threshold; 0 = off
  float validation_fraction = 0.1f;  // the end of the text held out for validation
  std::uint32_t seed = 1;
  std::string keep = "best";         // the model a run ends with: best (lowest validation loss) or last
  int patience = 0;                  // stop after this many validation reports without improvement; 0 = never
};

// Every field's key, range, URL key, CLI option and label, the optimiser's included.
const Settings<TextConfig>& text_settings();
// Throws SettingError naming the field ("text.seq_length must be in [1, 1000], got 0"), and
// std::invalid_argument for a model over the parameter limit (a rule across fields).
void validate(const TextConfig& config);

nlohmann::json to_json(const TextConfig& config);
// Rejects unknown keys and wrong types with the field's path (e.g. "text.optimizer.learning_rate").
TextConfig text_config_from_json(const nlohmann::json& json);

}  // namespace profundo
