// Strict reading of JSON settings: every problem names its path (e.g. "model.layers[2].units").
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace profundo::json_fields {

// A typo must not silently fall back to a default.
inline void reject_unknown_keys(const nlohmann::json& object, const std::set<std::string>& known,
                                const std::string& where) {
  for (const auto& item : object.items())
    if (!known.count(item.key())) throw std::invalid_argument(where + ": unknown field '" + item.key() + "'");
}

// json.get<int>() converts 2.5 to 2 and casts 1e40 with undefined behaviour: integers must be
// integers in range, and nothing else is accepted for them.
template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

template <typename T>
T checked_get(const nlohmann::json& value, const std::string& where) {
  if constexpr (is_vector<T>::value) {
    if (!value.is_array()) throw std::invalid_argument(where + ": expected a list, got " + value.dump());
    T items;
    for (std::size_t i = 0; i < value.size(); ++i)
      items.push_back(checked_get<typename T::value_type>(value[i], where + "[" + std::to_string(i) + "]"));
    return items;
  } else if constexpr (std::is_floating_point_v<T>) {
    // A double beyond float's range would be cast with undefined behaviour.
    if (!value.is_number()) throw std::invalid_argument(where + ": expected a number, got " + value.dump());
    const double v = value.get<double>();
    if (!(std::abs(v) <= static_cast<double>(std::numeric_limits<T>::max())))
      throw std::invalid_argument(where + ": " + value.dump() + " is out of range");
    return static_cast<T>(v);
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using Limits = std::numeric_limits<T>;
    if (value.is_number_unsigned()) {
      if (value.get<std::uint64_t>() <= static_cast<std::uint64_t>(Limits::max())) return static_cast<T>(value.get<std::uint64_t>());
    } else if (value.is_number_integer()) {
      const auto v = value.get<std::int64_t>();
      if (v >= static_cast<std::int64_t>(Limits::min()) && (v < 0 || static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(Limits::max())))
        return static_cast<T>(v);
    } else {
      throw std::invalid_argument(where + ": expected an integer, got " + value.dump());
    }
    throw std::invalid_argument(where + ": " + value.dump() + " is out of range");
  } else {
    try {
      return value.get<T>();
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument(where + ": wrong type (" + value.dump() + ")");
    }
  }
}

// Reads object[key] into value when present; keeps the default otherwise.
template <typename T>
void read(const nlohmann::json& object, const char* key, T& value, const std::string& where) {
  if (!object.contains(key)) return;
  value = checked_get<T>(object.at(key), where + "." + key);
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
