// The course labs' opening settings as the page declares them (web/src/labs/defaults.json), so the
// native tests check the lecture's claims on exactly what a student sees first.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

namespace profundo::testing {

inline const nlohmann::json& lab_defaults() {
  static const nlohmann::json defaults = [] {
    const std::string path = PROFUNDO_LAB_DEFAULTS;
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read the labs' defaults " + path);
    return nlohmann::json::parse(file);
  }();
  return defaults;
}

}  // namespace profundo::testing
