// The text lab's presets, one table for the CLI (`text --preset NAME`) and the page's preset picker
// (through the bindings): for each built-in corpus a quick one (about two minutes in the page) and
// a best one (ten minutes). They were chosen on the validation split by the loss after a fixed
// number of training characters (README, "Text presets"), not by wall time, which a shared machine
// distorts. The best Shakespeare preset is TextConfig's defaults.
#pragma once

#include "text/text_config.hpp"

#include <string>
#include <vector>

namespace profundo {

struct TextPreset {
  std::string name;    // "shakespeare-quick"
  std::string corpus;  // the built-in corpus it is for: public/data/text/<corpus>.txt
  float minutes = 0;   // the training time it was chosen for
  TextConfig config;
};

const std::vector<TextPreset>& text_presets();
// Throws std::invalid_argument naming the known presets.
const TextPreset& find_text_preset(const std::string& name);
// [{name, corpus, minutes, config}], the config as to_json(TextConfig): what the page's picker reads
// (scripts/generate-settings.mjs writes it into web/src/engine/generated/settings.ts).
nlohmann::json describe_text_presets();

}  // namespace profundo
