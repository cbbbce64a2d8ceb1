// A random stream's state in a saved file's JSON header: [state, increment, has_spare, spare].
// Shared by every kind of saved session; reading checks each number (a damaged file must give a
// message, not a conversion with undefined behaviour).
#pragma once

#include "core/json_fields.hpp"
#include "core/random.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace profundo {

inline nlohmann::json random_to_json(const Random& rng) {
  const Random::State state = rng.save_state();
  return {state.state, state.increment, state.has_spare_normal, state.spare_normal};
}

// Throws std::invalid_argument naming `where` when the entry is not 4 numbers of the right kinds.
inline void random_from_json(const nlohmann::json& json, Random& rng, const std::string& where) {
  using json_fields::checked_get;
  if (!json.is_array() || json.size() != 4) throw std::invalid_argument(where + ": expected 4 numbers");
  if (!json[2].is_boolean()) throw std::invalid_argument(where + "[2]: expected true or false");
  rng.restore_state({checked_get<std::uint64_t>(json[0], where + "[0]"), checked_get<std::uint64_t>(json[1], where + "[1]"),
                     json[2].get<bool>(), checked_get<double>(json[3], where + "[3]")});
}

}  // namespace profundo
