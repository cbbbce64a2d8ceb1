// `profundo-cli text`: trains a character-level language model, or samples from a saved one.
#pragma once

#include <string>
#include <vector>

namespace profundo::cli {

extern const std::string kTextUsage;
// args: everything after the word `text`. Returns the process exit code; throws on bad input.
int run_text_command(const std::vector<std::string>& args);

}  // namespace profundo::cli
