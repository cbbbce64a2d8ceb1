#include "cli/arguments.hpp"

#include <stdexcept>

namespace profundo::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_options,
                     const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument '" + arg + "'");
    const std::string name = arg.substr(2);
    if (flags.count(name)) {
      flags_.insert(name);
    } else if (value_options.count(name)) {
      if (i + 1 >= args.size()) throw std::invalid_argument("option --" + name + " needs a value");
      values_[name] = args[++i];
    } else {
      throw std::invalid_argument("unknown option --" + name);
    }
  }
}

void refuse_beside_resume(const Arguments& args, const std::vector<std::string>& settings,
                          const std::set<std::string>& allowed, const std::string& file) {
  for (const std::string& name : settings) {
    if (!args.has(name) || allowed.count(name)) continue;
    std::string may_change;
    for (const std::string& option : allowed) may_change += (may_change.empty() ? "--" : ", --") + option;
    throw std::invalid_argument("--" + name + ": a resumed run keeps the settings saved in " + file +
                                "; start a new run to change them (beside --resume: " + may_change + ")");
  }
}

std::string Arguments::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::optional<std::string> Arguments::setting(const std::string& name) const {
  if (flags_.count(name)) return "true";
  const auto it = values_.find(name);
  return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

int Arguments::integer(const std::string& name, int fallback) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != it->second.size()) throw std::invalid_argument("--" + name + " expects an integer, got '" + it->second + "'");
  return value;
}

float Arguments::number(const std::string& name, float fallback) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  std::size_t used = 0;
  float value = 0.0f;
  try {
    value = std::stof(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != it->second.size()) throw std::invalid_argument("--" + name + " expects a number, got '" + it->second + "'");
  return value;
}

}  // namespace profundo::cli
