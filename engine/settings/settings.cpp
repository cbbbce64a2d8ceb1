#include "settings/settings.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace profundo {

using nlohmann::json;

namespace {

// Variant indices of Setting::Access.
enum Type : std::size_t { integer = 0, uint32 = 1, number = 2, choice = 3, flag = 4 };

const char* code_name(SettingErrorCode code) {
  switch (code) {
    case SettingErrorCode::unknown_field: return "unknown_field";
    case SettingErrorCode::wrong_type: return "wrong_type";
    case SettingErrorCode::out_of_range: return "out_of_range";
    case SettingErrorCode::unknown_choice: return "unknown_choice";
  }
  return "";
}

std::string number_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[32];
  // Whole numbers in full (the int32 and uint32 limits), others with a float's precision.
  if (value == std::floor(value) && std::abs(value) < 1e15) std::snprintf(text, sizeof text, "%.0f", value);
  else std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

std::string range_text(const std::optional<Bound>& min, const std::optional<Bound>& max) {
  return std::string(min && min->inclusive ? "[" : "(") + (min ? number_text(min->value) : "-inf") + ", " +
         (max ? number_text(max->value) : "inf") + (max && max->inclusive ? "]" : ")");
}

json bound_json(const std::optional<Bound>& b) {
  return b ? json{{"value", b->value}, {"inclusive", b->inclusive}} : json(nullptr);
}

// A value as the message shows it: NaN and infinities by name (JSON would say null), -1 not -1.0.
std::string shown(const json& value) {
  if (value.is_number_float()) return number_text(value.get<double>());
  return value.dump();
}

std::string list_text(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

SettingError::SettingError(SettingErrorCode code, std::string path, json expected, json value,
                           const std::string& message)
    : std::invalid_argument(message), code_(code), path_(std::move(path)), expected_(std::move(expected)),
      value_(std::move(value)) {}

json SettingError::details() const {
  return {{"code", code_name(code_)}, {"path", path_}, {"expected", expected_}, {"value", value_}};
}

json parse_settings_text(const std::string& text, const std::string& root) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    throw SettingError(SettingErrorCode::wrong_type, root, "object", text, root + ": not JSON (" + error.what() + ")");
  }
}

std::string usage_line(const SettingInfo& info, const json& default_value, bool flag) {
  std::string option = "  --" + info.cli + (flag ? "" : " X");
  option.resize(std::max<std::size_t>(option.size() + 1, 23), ' ');
  std::string what = info.path;
  if (!info.choices.empty()) what += ": " + list_text(info.choices);
  else if (info.min || info.max) what += " in " + range_text(info.min, info.max);
  if (!info.unit.empty()) what += " " + info.unit;
  return option + what + " (default " + (default_value.is_string() ? default_value.get<std::string>() : default_value.dump()) +
         ")\n";
}

namespace settings_detail {

std::optional<Bound> effective_min(const SettingInfo& info, std::size_t type) {
  if (type == integer && !info.min) return Bound{static_cast<double>(std::numeric_limits<int>::min()), true};
  if (type == uint32 && !info.min) return Bound{0, true};
  return info.min;
}

std::optional<Bound> effective_max(const SettingInfo& info, std::size_t type) {
  if (type == integer && !info.max) return Bound{static_cast<double>(std::numeric_limits<int>::max()), true};
  if (type == uint32 && !info.max) return Bound{static_cast<double>(std::numeric_limits<std::uint32_t>::max()), true};
  return info.max;
}

const char* type_name(std::size_t variant_index) {
  static const char* const names[] = {"int", "uint32", "float", "enum", "bool"};
  return names[variant_index];
}

void check_value(const SettingInfo& info, std::size_t type, const json& value, const std::string& where) {
  const auto wrong_type = [&](const std::string& expected) {
    throw SettingError(SettingErrorCode::wrong_type, where, type_name(type), value,
                       where + ": expected " + expected + ", got " + shown(value));
  };
  if (type == flag) {
    if (!value.is_boolean()) wrong_type("true or false");
    return;
  }
  if (type == choice) {
    if (!value.is_string()) wrong_type("one of " + list_text(info.choices));
    const auto text = value.get<std::string>();
    for (const auto& c : info.choices)
      if (c == text) return;
    throw SettingError(SettingErrorCode::unknown_choice, where, info.choices, value,
                       where + " must be one of " + list_text(info.choices) + ", got '" + text + "'");
  }
  if (type == number ? !value.is_number() : !(value.is_number_integer() || value.is_number_unsigned()))
    wrong_type(type == number ? "a number" : "an integer");
  const double v = value.get<double>();
  const auto min = effective_min(info, type), max = effective_max(info, type);
  const bool above_min = !min || (min->inclusive ? v >= min->value : v > min->value);
  const bool below_max = !max || (max->inclusive ? v <= max->value : v < max->value);
  // A float field must hold the value: finite and within float's range.
  const bool representable = type != number || std::abs(v) <= std::numeric_limits<float>::max();
  if (!(above_min && below_max && representable))
    throw SettingError(SettingErrorCode::out_of_range, where, json{{"min", bound_json(min)}, {"max", bound_json(max)}},
                       value, where + " must be in " + range_text(min, max) + ", got " + shown(value));
}

json value_of(const int& v) { return v; }
json value_of(const std::uint32_t& v) { return v; }
json value_of(const float& v) {
  if (!std::isfinite(v)) return static_cast<double>(v);  // dumps as null: check_value rejects it
  char text[32];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, static_cast<double>(v));
    if (std::strtof(text, nullptr) == v) break;
  }
  return std::strtod(text, nullptr);
}
json value_of(const std::string& v) { return v; }
json value_of(const bool& v) { return v; }

void assign(int& target, const json& value) { target = static_cast<int>(value.get<std::int64_t>()); }
void assign(std::uint32_t& target, const json& value) { target = static_cast<std::uint32_t>(value.get<std::uint64_t>()); }
void assign(float& target, const json& value) { target = static_cast<float>(value.get<double>()); }
void assign(std::string& target, const json& value) { target = value.get<std::string>(); }
void assign(bool& target, const json& value) { target = value.get<bool>(); }

std::string join(const std::string& root, const std::string& path) {
  return path.empty() ? root : root.empty() ? path : root + "." + path;
}

void reject_unknown(const json& object, const std::vector<std::string>& paths, const std::string& prefix,
                    const std::string& root) {
  const std::string where = join(root, prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1));
  if (!object.is_object())
    throw SettingError(SettingErrorCode::wrong_type, where, "object", object, where + ": expected an object, got " + object.dump());
  std::set<std::string> known;  // the keys at this level
  for (const auto& path : paths)
    if (path.compare(0, prefix.size(), prefix) == 0) known.insert(path.substr(prefix.size(), path.find('.', prefix.size()) - prefix.size()));
  for (const auto& item : object.items()) {
    const std::string path = prefix + item.key();
    if (!known.count(item.key()))
      throw SettingError(SettingErrorCode::unknown_field, join(root, path), std::vector<std::string>(known.begin(), known.end()),
                         item.key(), where + ": unknown field '" + item.key() + "' (known: " +
                                         list_text(std::vector<std::string>(known.begin(), known.end())) + ")");
    bool leaf = false;
    for (const auto& p : paths) leaf = leaf || p == path;
    if (!leaf) reject_unknown(item.value(), paths, path + ".", root);
  }
}

const json* find(const json& object, const std::string& path) {
  const json* node = &object;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &node->at(key);
    if (dot == std::string::npos) return node;
    start = dot + 1;
  }
}

void put(json& object, const std::string& path, json value) {
  json* node = &object;
  std::size_t start = 0;
  for (std::size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1)
    node = &(*node)[path.substr(start, dot - start)];
  (*node)[path.substr(start)] = std::move(value);
}

}  // namespace settings_detail

}  // namespace profundo
