// Reading whole files natively, gunzipping them when they are gzip (zlib). Not part of the wasm build:
// in the browser the page decompresses with DecompressionStream before handing bytes to the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

// Reads `path`, decompressing it if it is gzip; plain files are returned as they are. Throws
// std::runtime_error naming the file for a missing file, a corrupt or truncated gzip stream, or
// more than max_bytes of decompressed data.
std::vector<std::uint8_t> read_maybe_gzip_file(const std::string& path, std::size_t max_bytes = std::size_t{1} << 30);

}  // namespace profundo
