// `profundo-cli bias-variance`: one experiment of the bias/variance lab (engine/labs/
// bias_variance_lab.hpp) as the page runs it, its result as JSON (scripts/select-bias-variance-l2.mjs).
#pragma once

#include <string>
#include <vector>

namespace profundo::cli {

extern const char* kBiasVarianceUsage;
// args: everything after the word `bias-variance`. Returns the process exit code; throws on bad input.
int run_bias_variance_command(const std::vector<std::string>& args);

}  // namespace profundo::cli
