// The whole settings registry, as the bindings export it and the page (forms, URL codec,
// messages, generated TypeScript types) reads it: one table per configuration the engine takes.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace profundo {

// {"training": [rows], "data": [rows], "text": [rows]}, each row as settings.hpp's describe().
nlohmann::json describe_settings();

}  // namespace profundo
