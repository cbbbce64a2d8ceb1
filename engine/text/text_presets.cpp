#include "text/text_presets.hpp"

#include <stdexcept>

namespace profundo {

namespace {

// The quick presets: a model small enough for about two minutes of the page (threads build, two
// cores), with a larger learning rate; the best ones: TextConfig's defaults with the corpus's own
// regularisation.
TextConfig quick_config() {
  TextConfig c;
  c.hidden_size = 128;
  c.optimizer.learning_rate = 0.004f;
  return c;
}

}  // namespace

const std::vector<TextPreset>& text_presets() {
  static const std::vector<TextPreset> presets = [] {
    TextConfig quijote_best;
    return std::vector<TextPreset>{
        {"shakespeare-quick", "shakespeare", 2, quick_config()},
        {"shakespeare-best", "shakespeare", 10, TextConfig{}},
        {"quijote-quick", "quijote", 2, quick_config()},
        {"quijote-best", "quijote", 10, quijote_best},
    };
  }();
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
