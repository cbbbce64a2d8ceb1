// CRC-32 as in zlib, gzip and PNG (IEEE 802.3, reflected polynomial 0xEDB88320). Our own small
// table-driven version because the engine's wasm build has no zlib.
#pragma once

#include <cstddef>
#include <cstdint>

namespace profundo {

// CRC of `size` bytes; pass the previous result as `crc` to continue over a further chunk.
// Known answer: crc32("123456789") == 0xCBF43926.
std::uint32_t crc32(const std::uint8_t* bytes, std::size_t size, std::uint32_t crc = 0);

}  // namespace profundo
