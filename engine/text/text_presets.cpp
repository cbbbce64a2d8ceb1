#include "text/text_presets.hpp"

#include <stdexcept>

namespace profundo {

namespace {

// Quick: one LSTM layer of 128 units (the page trains it at about 58,000 characters/s on two cores:
// ~3,400 steps in two minutes), no dropout (two minutes are too short for it to pay), and a large α
// that decays within those steps: 0.015 halving every 800 steps beat α 0.006 constant, 0.01
// constant and two other decays on the validation loss after 3,384 steps (README, "Text presets").
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

// Best (ten minutes in the page, which trains at about a quarter of the native speed): TextConfig's
// 512 units would see too few characters, so 256 units, held back by a lighter dropout (0.1 in all
// three places) with α 0.006 halving every 1,000 steps. It beat the defaults at 256 units and
// dropout 0.2 with α halving every 1,500 steps on the validation loss after the 3,892 steps of ten
// page minutes (README, "Text presets").
TextConfig page_best_config() {
  TextConfig c;
  c.hidden_size = 256;
  c.dropout = 0.1f;
  c.dropout_embedding = true;
  c.dropout_head = true;
  c.optimizer.learning_rate = 0.006f;
  c.schedule.kind = "exponential";
  c.schedule.gamma = 0.5f;
  c.schedule.step_size = 1000;
  return c;
}

}  // namespace

const std::vector<TextPreset>& text_presets() {
  static const std::vector<TextPreset> presets{
      {"shakespeare-quick", "shakespeare", 2, quick_config()},
      {"shakespeare-best", "shakespeare", 10, page_best_config()},
      {"quijote-quick", "quijote", 2, quick_config()},
      {"quijote-best", "quijote", 10, page_best_config()},
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
