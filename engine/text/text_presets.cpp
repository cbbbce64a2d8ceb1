#include "text/text_presets.hpp"

#include <stdexcept>

namespace profundo {

namespace {

// Quick: one LSTM layer of 128 units (the page trains it at about 58,000 characters/s on two cores:
// ~3,400 steps in two minutes), no dropout (two minutes are too short for it to pay), and a large α
// that decays within those steps: 0.015 halving every 800 steps beat α 0.006 constant, 0.01
// constant and two other decays on the validation loss after 3,384 steps (README, "Text presets").
// Best: TextConfig's defaults (README, "Text presets", has the numbers and what was not measured).
TextConfig quick_config() {
  TextConfig c;
  c.hidden_size = 128;
  c.optimizer.learning_rate = 0.015f;
  c.dropout = 0.0f;
  c.dropout_embedding = false;
  c.dropout_head = false;
  c.schedule.kind = "exponential";
  c.schedule.gamma = 0.5f;
  c.schedule.step_size = 800;
  return c;
}

}  // namespace

const std::vector<TextPreset>& text_presets() {
  static const std::vector<TextPreset> presets{
      {"shakespeare-quick", "shakespeare", 2, quick_config()},
      {"shakespeare-best", "shakespeare", 10, TextConfig{}},
      {"quijote-quick", "quijote", 2, quick_config()},
      {"quijote-best", "quijote", 10, TextConfig{}},
  };
  return presets;
}

const TextPreset& find_text_preset(const std::string& name) {
  std::string known;
  for (const TextPreset& preset : text_presets()) {
    if (preset.name == name) return preset;
    known += (known.empty() ? "" : ", ") + preset.name;
  }
  throw std::invalid_argument("unknown text preset '" + name + "' (known: " + known + ")");
}

nlohmann::json describe_text_presets() {
  nlohmann::json list = nlohmann::json::array();
  for (const TextPreset& preset : text_presets())
    list.push_back({{"name", preset.name}, {"corpus", preset.corpus}, {"minutes", preset.minutes}, {"config", to_json(preset.config)}});
  return list;
}

}  // namespace profundo
