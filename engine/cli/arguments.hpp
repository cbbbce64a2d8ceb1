// A small command-line parser: `command --name value --flag` with every option declared up front,
// so a typo is an error instead of a silently ignored option.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace profundo::cli {

class Arguments {
 public:
  // value_options take a value; flags do not.
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_options,
            const std::set<std::string>& flags);

  bool has(const std::string& name) const { return values_.count(name) > 0 || flags_.count(name) > 0; }
  std::string text(const std::string& name, const std::string& fallback) const;
  int integer(const std::string& name, int fallback) const;
  float number(const std::string& name, float fallback) const;
  // A setting's text as given ("true" for a flag), or nullopt when absent (settings_from_cli).
  std::optional<std::string> setting(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

// A resumed run continues with the settings saved in its file: a setting among `settings` given
// beside --resume would be ignored silently, so it is refused by name, unless it is `allowed`.
void refuse_beside_resume(const Arguments& args, const std::vector<std::string>& settings,
                          const std::set<std::string>& allowed, const std::string& file);

}  // namespace profundo::cli
