#include "data/idx.hpp"

#include <cstdio>
#include <stdexcept>

namespace profundo {

namespace {
std::string hex(unsigned value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*X", digits, value);
  return text;
}

std::uint32_t read_big_endian(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}
}  // namespace

IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  const auto fail = [&](const std::string& what) { throw std::invalid_argument(source + ": " + what); };
  if (size < 4) fail("file too short for an IDX header (" + std::to_string(size) + " bytes)");
  const bool gzip = bytes[0] == 0x1f && bytes[1] == 0x8b;
  if (bytes[0] != 0 || bytes[1] != 0)
    fail("not an IDX file: the magic number is " + hex(read_big_endian(bytes), 8) +
         ", expected 0x00000801 (labels) or 0x00000803 (images): two zero bytes, the data type, the rank" +
         (gzip ? " (this looks like a gzip file that was not decompressed)" : ""));
  if (bytes[2] != 0x08)
    fail("unsupported IDX data type " + hex(bytes[2], 2) + " in the magic number (only unsigned bytes, 0x08, are supported)");
  const int rank = bytes[3];
  if (rank < 1 || rank > 4) fail("IDX rank " + std::to_string(rank) + " is not supported (expected 1 to 4)");
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (size < header) fail("truncated header: " + std::to_string(size) + " bytes, expected at least " + std::to_string(header));
  IdxArray array;
  unsigned long long count = 1;
  for (int i = 0; i < rank; ++i) {
    const std::uint32_t dim = read_big_endian(bytes + 4 + 4 * i);
    if (dim > 0x7fffffffu) fail("dimension " + std::to_string(i) + " is too large (" + std::to_string(dim) + ")");
    array.dims.push_back(static_cast<int>(dim));
    count *= dim;
    if (count > (1ull << 40)) fail("the header claims an impossibly large array");
  }
  const unsigned long long available = size - header;
  if (available < count)
    fail("truncated: the header promises " + std::to_string(count) + " bytes of data but the file has " +
         std::to_string(available));
  if (available > count)
    fail("the file has " + std::to_string(available - count) + " bytes more than the header describes");
  array.data.assign(bytes + header, bytes + header + count);
  return array;
}

}  // namespace profundo
