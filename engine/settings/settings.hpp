// The settings registry: each field of a configuration struct is declared once, as a row of its
// table (path, range, choices, unit, URL keys, CLI option, locale key, group), and everything
// else is generated from the table: the strict JSON reader, the JSON writer, range validation,
// the CLI options and their usage, and describe() (the registry as JSON, which the bindings export
// and the page builds its forms, URL codec, messages and TypeScript types from).
//
// A row's type follows from the member it points at: int, std::uint32_t, float (a finite
// number), std::string (one of its choices) or bool. Defaults are the struct's own (C{}), so they
// are written once, in the struct. Paths are relative to the config ("optimizer.epsilon"); a table
// nests another one under a prefix (the optimiser's table in the image and the text settings).
// Layer types can join later as tables of LayerSpec rows.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace profundo {

// What went wrong with a setting, in a form the page can word in its own language.
enum class SettingErrorCode { unknown_field, wrong_type, out_of_range, unknown_choice };

// Thrown by the reader and by validate(): what() is English ("training.optimizer.epsilon must be in
// [0, 1), got 1.5"); details() is the same as data (code, path, range or choices, value).
class SettingError : public std::invalid_argument {
 public:
  SettingError(SettingErrorCode code, std::string path, nlohmann::json expected, nlohmann::json value,
               const std::string& message);
  SettingErrorCode code() const { return code_; }
  const std::string& path() const { return path_; }
  // {"code": "out_of_range", "path": "training.optimizer.epsilon", "expected": {...}, "value": 1.5}
  nlohmann::json details() const;

 private:
  SettingErrorCode code_;
  std::string path_;
  nlohmann::json expected_, value_;
};

struct Bound {
  double value;
  bool inclusive;
};

// Everything about a setting except where it lives in the struct.
struct SettingInfo {
  std::string path;                   // "optimizer.epsilon", relative to the config
  std::optional<Bound> min, max;      // numbers: none = unbounded (numbers are always finite)
  std::vector<std::string> choices;   // strings: the accepted values
  std::string unit;                   // "px", "degrees", "characters", ... ("" = none)
  std::vector<std::string> url_keys;  // the first is written, the others are read too
  std::string cli;                    // the CLI option without "--" ("" = none)
  std::string label;                  // locale key of the label; help is label + "Hint" when present
  std::string group;                  // optimizer, schedule, regularization, run, data, augmentation, network
};

template <typename Config>
struct Setting {
  using Access = std::variant<std::function<int&(Config&)>, std::function<std::uint32_t&(Config&)>,
                              std::function<float&(Config&)>, std::function<std::string&(Config&)>,
                              std::function<bool&(Config&)>>;
  SettingInfo info;
  Access access;

  // Builders for the tables (each returns the row, so they chain).
  Setting above(double v) && { return info.min = Bound{v, false}, std::move(*this); }
  Setting at_least(double v) && { return info.min = Bound{v, true}, std::move(*this); }
  Setting below(double v) && { return info.max = Bound{v, false}, std::move(*this); }
  Setting at_most(double v) && { return info.max = Bound{v, true}, std::move(*this); }
  Setting choices(std::vector<std::string> c) && { return info.choices = std::move(c), std::move(*this); }
  Setting unit(std::string u) && { return info.unit = std::move(u), std::move(*this); }
  Setting url(std::initializer_list<std::string> keys) && { return info.url_keys = keys, std::move(*this); }
  Setting cli(std::string option) && { return info.cli = std::move(option), std::move(*this); }
  Setting label(std::string key) && { return info.label = std::move(key), std::move(*this); }
};

template <typename Config>
using Settings = std::vector<Setting<Config>>;

// A row for `member` of Config at `path`.
template <typename Config, typename T>
Setting<Config> field(std::string path, T Config::*member) {
  Setting<Config> row;
  row.info.path = std::move(path);
  row.access = std::function<T&(Config&)>([member](Config& c) -> T& { return c.*member; });
  return row;
}

// Every row of `rows` tagged with `group`.
template <typename Config>
Settings<Config> in_group(const std::string& group, Settings<Config> rows) {
  for (auto& row : rows) row.info.group = group;
  return rows;
}

// `inner`'s rows as rows of Outer, under `prefix` ("optimizer" + "." + "epsilon").
template <typename Outer, typename Inner>
Settings<Outer> nested(const std::string& prefix, Inner Outer::*member, const Settings<Inner>& inner) {
  Settings<Outer> rows;
  for (const auto& row : inner) {
    Setting<Outer> outer;
    outer.info = row.info;
    outer.info.path = prefix + "." + row.info.path;
    std::visit(
        [&](const auto& access) {
          using T = std::remove_reference_t<typename std::decay_t<decltype(access)>::result_type>;
          outer.access = std::function<T&(Outer&)>([access, member](Outer& c) -> T& { return access(c.*member); });
        },
        row.access);
    rows.push_back(std::move(outer));
  }
  return rows;
}

template <typename Config>
Settings<Config> concat(std::initializer_list<Settings<Config>> parts) {
  Settings<Config> rows;
  for (const auto& part : parts) rows.insert(rows.end(), part.begin(), part.end());
  return rows;
}

namespace settings_detail {
// The type-independent parts, on JSON values (settings.cpp).
// Type (variant index of Setting::Access), range and choices of a value from JSON or from a struct.
void check_value(const SettingInfo& info, std::size_t type, const nlohmann::json& value, const std::string& where);
// The range a number must be in: the row's, within what its type holds.
std::optional<Bound> effective_min(const SettingInfo& info, std::size_t type);
std::optional<Bound> effective_max(const SettingInfo& info, std::size_t type);
nlohmann::json value_of(const int& v);
nlohmann::json value_of(const std::uint32_t& v);
nlohmann::json value_of(const float& v);  // the shortest decimal that reads back as v (0.001, not 0.0010000000474974513)
nlohmann::json value_of(const std::string& v);
nlohmann::json value_of(const bool& v);
void assign(int& target, const nlohmann::json& value);
void assign(std::uint32_t& target, const nlohmann::json& value);
void assign(float& target, const nlohmann::json& value);
void assign(std::string& target, const nlohmann::json& value);
void assign(bool& target, const nlohmann::json& value);
const char* type_name(std::size_t variant_index);
// Rejects keys of `object` (at `prefix` inside the config) that no path in `paths` starts with.
void reject_unknown(const nlohmann::json& object, const std::vector<std::string>& paths, const std::string& prefix,
                    const std::string& root);
const nlohmann::json* find(const nlohmann::json& object, const std::string& path);
void put(nlohmann::json& object, const std::string& path, nlohmann::json value);
std::string join(const std::string& root, const std::string& path);
}  // namespace settings_detail

template <typename Config>
nlohmann::json read_value(const Setting<Config>& row, const Config& config) {
  return std::visit([&](const auto& access) { return settings_detail::value_of(access(const_cast<Config&>(config))); },
                    row.access);
}

// Throws SettingError (path root + "." + row path) when a field is out of its range or choices.
template <typename Config>
void validate_settings(const Settings<Config>& table, const Config& config, const std::string& root) {
  for (const auto& row : table)
    settings_detail::check_value(row.info, row.access.index(), read_value(row, config),
                                 settings_detail::join(root, row.info.path));
}

template <typename Config>
nlohmann::json settings_to_json(const Settings<Config>& table, const Config& config) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& row : table) settings_detail::put(object, row.info.path, read_value(row, config));
  return object;
}

// The strict reader: `start` with the fields of `json` on top. Unknown keys, wrong types and
// values out of range are SettingErrors naming root + "." + the field's path and what it accepts.
template <typename Config>
Config settings_from_json(const Settings<Config>& table, const nlohmann::json& json, const std::string& root,
                          Config start = Config{}) {
  std::vector<std::string> paths;
  for (const auto& row : table) paths.push_back(row.info.path);
  settings_detail::reject_unknown(json, paths, "", root);
  for (const auto& row : table) {
    const nlohmann::json* value = settings_detail::find(json, row.info.path);
    if (!value) continue;
    const std::string where = settings_detail::join(root, row.info.path);
    settings_detail::check_value(row.info, row.access.index(), *value, where);  // before the cast
    std::visit([&](const auto& access) { settings_detail::assign(access(start), *value); }, row.access);
    settings_detail::check_value(row.info, row.access.index(), read_value(row, start), where);  // float rounding
  }
  return start;
}

// The same from JSON text (what crosses from the page); text that is not JSON is named by `root`.
nlohmann::json parse_settings_text(const std::string& text, const std::string& root);
template <typename Config>
Config settings_from_json_text(const Settings<Config>& table, const std::string& text, const std::string& root) {
  return settings_from_json(table, parse_settings_text(text, root), root);
}

// The registry as data: [{path, type, min, max, choices, default, unit, url_keys, cli, label, group}].
template <typename Config>
nlohmann::json describe(const Settings<Config>& table, const Config& defaults = Config{}) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : table) {
    const SettingInfo& info = row.info;
    const auto bound = [](const std::optional<Bound>& b) {
      return b ? nlohmann::json{{"value", b->value}, {"inclusive", b->inclusive}} : nlohmann::json(nullptr);
    };
    rows.push_back({{"path", info.path},
                    {"type", settings_detail::type_name(row.access.index())},
                    {"min", bound(settings_detail::effective_min(info, row.access.index()))},
                    {"max", bound(settings_detail::effective_max(info, row.access.index()))},
                    {"choices", info.choices},
                    {"default", read_value(row, defaults)},
                    {"unit", info.unit},
                    {"url_keys", info.url_keys},
                    {"cli", info.cli},
                    {"label", info.label},
                    {"group", info.group}});
  }
  return rows;
}

// The CLI options of a table: the value options and the on/off flags (bool rows).
template <typename Config>
std::vector<std::string> cli_options(const Settings<Config>& table, bool flags) {
  std::vector<std::string> names;
  for (const auto& row : table)
    if (!row.info.cli.empty() && (row.access.index() == 4) == flags) names.push_back(row.info.cli);
  return names;
}

// Every CLI option of a table, values and flags: what a resumed run must not be given.
template <typename Config>
std::vector<std::string> cli_option_names(const Settings<Config>& table) {
  std::vector<std::string> names = cli_options(table, false);
  for (auto& flag : cli_options(table, true)) names.push_back(std::move(flag));
  return names;
}

// One usage line per CLI option of the table: "--epsilon X   optimizer.epsilon in (0, inf) (default 1e-08)".
std::string usage_line(const SettingInfo& info, const nlohmann::json& default_value, bool flag);
template <typename Config>
std::string cli_usage(const Settings<Config>& table, const Config& defaults = Config{}) {
  std::string text;
  for (const auto& row : table)
    if (!row.info.cli.empty()) text += usage_line(row.info, read_value(row, defaults), row.access.index() == 4);
  return text;
}

// `config` with the options the command line gave: `value_of(cli)` is the option's text (or
// nullopt when absent), flags give "true". Values are read as JSON values by the strict reader.
template <typename Config>
Config settings_from_cli(const Settings<Config>& table, const std::function<std::optional<std::string>(const std::string&)>& value_of,
                         const std::string& root, const Config& config) {
  nlohmann::json changes = nlohmann::json::object();
  for (const auto& row : table) {
    if (row.info.cli.empty()) continue;
    const auto text = value_of(row.info.cli);
    if (!text) continue;
    nlohmann::json value;
    if (row.access.index() == 3) {
      value = *text;
    } else {
      value = nlohmann::json::parse(*text, nullptr, false);
      if (value.is_discarded())
        throw SettingError(SettingErrorCode::wrong_type, settings_detail::join(root, row.info.path),
                           settings_detail::type_name(row.access.index()), *text,
                           "--" + row.info.cli + ": expected " + settings_detail::type_name(row.access.index()) +
                               ", got '" + *text + "'");
    }
    settings_detail::put(changes, row.info.path, value);
  }
  return settings_from_json(table, changes, root, config);
}

}  // namespace profundo
