#include "io/gzip_file.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace profundo {

std::vector<std::uint8_t> read_maybe_gzip_file(const std::string& path, std::size_t max_bytes) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw std::runtime_error(path + ": cannot open (" + std::strerror(errno) + ")");
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint8_t> chunk(1 << 20);
  for (;;) {
    const int read = gzread(file.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
    if (read < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      throw std::runtime_error(path + ": corrupt gzip data (" + std::string(message ? message : "unknown error") + ")");
    }
    if (read == 0) break;
    if (bytes.size() + static_cast<std::size_t>(read) > max_bytes)
      throw std::runtime_error(path + ": larger than " + std::to_string(max_bytes) + " bytes once decompressed");
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + read);
  }
  // zlib stops quietly at a truncated stream; gzread reports it only through gzerror.
  int code = Z_OK;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END)
    throw std::runtime_error(path + ": corrupt or truncated gzip data (" + std::string(message ? message : "") + ")");
  return bytes;
}

}  // namespace profundo
