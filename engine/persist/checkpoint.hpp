// The saved-model file: one versioned binary blob holding a JSON header and named float tensors.
// Encoding and decoding work on bytes only (no file system), so the wasm build uses the same code
// and the browser saves/loads the bytes through JavaScript.
//
// Layout (all integers unsigned 32-bit little-endian, floats IEEE-754 binary32 little-endian):
//   "PROFUNDO"                      8 bytes of magic
//   format version                  u32 (checkpoint_format_version)
//   header length, header           u32, UTF-8 JSON text
//   tensor count                    u32
//   per tensor: name length, name   u32, UTF-8 bytes
//               rank, dims          u32 (at most checkpoint_max_rank), rank x u32 (each <= INT_MAX)
//               data                product(dims) x float32, row-major
//   CRC-32 (IEEE)                   u32 over every byte before it
#pragma once

#include "core/tensor.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace profundo {

constexpr std::uint32_t checkpoint_format_version = 1;
constexpr int checkpoint_max_rank = 8;

struct Checkpoint {
  // Model description, training config, normalisation, seed, dataset, epoch/step, RNG states...:
  // whatever the caller needs to resume; this layer does not interpret it.
  nlohmann::json header;
  // Named tensors in a fixed order: parameters, buffers, optimiser state.
  std::vector<std::pair<std::string, Tensor>> tensors;
};

// Throws std::invalid_argument for a tensor whose data does not match its shape (a default-constructed
// Tensor has shape [] but no element: use Shape{0} for an empty one), a rank above checkpoint_max_rank,
// or a header that cannot be written as JSON (invalid UTF-8 in a string).
std::vector<std::uint8_t> encode_checkpoint(const Checkpoint& checkpoint);

// Bit-exact inverse of encode_checkpoint. Throws std::invalid_argument starting with `source` for a
// foreign file, a newer format version, truncation (naming the part), absurd sizes (rejected before
// allocating: nothing larger than the input is ever allocated), trailing bytes, a checksum mismatch
// or a header that is not JSON.
Checkpoint decode_checkpoint(const std::uint8_t* bytes, std::size_t size, const std::string& source);

}  // namespace profundo
