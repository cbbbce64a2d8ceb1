// Strict reading of JSON settings: every problem names its path (e.g. "model.layers[2].units").
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>
#include <string>

namespace profundo::json_fields {

// A typo must not silently fall back to a default.
inline void reject_unknown_keys(const nlohmann::json& object, const std::set<std::string>& known,
                                const std::string& where) {
  for (const auto& item : object.items())
    if (!known.count(item.key())) throw std::invalid_argument(where + ": unknown field '" + item.key() + "'");
}

// Reads object[key] into value when present; keeps the default otherwise.
template <typename T>
void read(const nlohmann::json& object, const char* key, T& value, const std::string& where) {
  if (!object.contains(key)) return;
  try {
    value = object.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(where + "." + key + ": wrong type (" + object.at(key).dump() + ")");
  }
}

inline void require_object(const nlohmann::json& value, const std::string& where) {
  if (!value.is_object()) throw std::invalid_argument(where + ": expected an object");
}

// object[key] when present (and an object), else an empty object.
inline const nlohmann::json& child_object(const nlohmann::json& parent, const char* key, const std::string& where) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!parent.contains(key)) return empty;
  const nlohmann::json& child = parent.at(key);
  require_object(child, where + "." + key);
  return child;
}

}  // namespace profundo::json_fields
