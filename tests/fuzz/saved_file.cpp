#include "fuzz_target.hpp"
#include "persist/crc32.hpp"

namespace profundo::fuzz {

std::vector<std::uint8_t> saved_file_from_input(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  std::vector<std::uint8_t> file(data + 1, data + size);
  if ((data[0] & 1) != 0 && file.size() >= 4) {
    const std::uint32_t crc = crc32(file.data(), file.size() - 4);
    for (int i = 0; i < 4; ++i) file[file.size() - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  }
  return file;
}

}  // namespace profundo::fuzz
