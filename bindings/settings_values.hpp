// Configurations cross the boundary as the engine's JSON: a JavaScript object goes through
// JSON.stringify into the engine's strict reader (the one validator: unknown keys, wrong types and
// values out of range are refused naming the field and its range), and a configuration comes back
// as JSON.parse of the engine's writer. No field is listed here: they are in the registry.
#pragma once

#include "guard.hpp"

#include "settings/settings.hpp"

#include <emscripten/val.h>

#include <string>

namespace profundo::bindings {

inline std::string json_text(const emscripten::val& value) {
  // JSON.stringify(undefined) is undefined: the reader then says "expected an object".
  if (value.isUndefined()) return "null";
  return emscripten::val::global("JSON").call<std::string>("stringify", value);
}

// Throws SettingError (the caller is Guarded) naming root + the field.
template <typename Config>
Config config_from_js(const Settings<Config>& table, const emscripten::val& value, const std::string& root) {
  return settings_from_json_text(table, json_text(value), root);
}

template <typename Config>
emscripten::val config_to_js(const Settings<Config>& table, const Config& config) {
  return emscripten::val::global("JSON").call<emscripten::val>("parse", settings_to_json(table, config).dump());
}

// A setter for a value_object field holding a configuration: Embind calls it while converting an
// argument, outside any Guard, so a refused value becomes a JavaScript Error here.
template <typename Config>
Config config_from_js_or_throw(const Settings<Config>& table, const emscripten::val& value, const std::string& root) {
  return guarded([&] { return config_from_js(table, value, root); });
}

}  // namespace profundo::bindings
