// Reader for the IDX format of MNIST (LeCun): a big-endian header — two zero bytes, a type code
// (0x08 = unsigned byte), the number of dimensions — then one 32-bit size per dimension and the data.
// gzip is handled outside the engine (zlib natively, DecompressionStream in the browser).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

struct IdxArray {
  std::vector<int> dims;
  std::vector<std::uint8_t> data;
};

// Every problem is reported as std::invalid_argument starting with `source` (a file name):
// wrong magic number, unsupported type, a header that claims more (or less) data than the file
// holds. Nothing is allocated before the size has been checked against the header.
IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& source);

}  // namespace profundo
