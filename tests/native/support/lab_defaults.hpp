// What the page declares and the native tests check the lecture's claims on: the course labs'
// opening settings (web/src/labs/defaults.json) and the thresholds of the bias/variance reading
// (web/src/screens/train/diagnosis-thresholds.json), each read from the page's own file.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

namespace profundo::testing {

inline nlohmann::json read_page_json(const std::string& path, const std::string& what) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + what + " " + path);
  return nlohmann::json::parse(file);
}

inline const nlohmann::json& lab_defaults() {
  static const nlohmann::json defaults = read_page_json(PROFUNDO_LAB_DEFAULTS, "the labs' defaults");
  return defaults;
}

// highBiasPoints, highVariancePoints, humanErrorPercent: errors in %, as diagnose() takes them.
inline const nlohmann::json& diagnosis_thresholds() {
  static const nlohmann::json thresholds = read_page_json(PROFUNDO_DIAGNOSIS_THRESHOLDS, "the bias/variance reading's thresholds");
  return thresholds;
}

}  // namespace profundo::testing
