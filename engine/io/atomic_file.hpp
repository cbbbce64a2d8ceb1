// Whole-file reads and crash-safe writes (POSIX), native only: in the browser, files are saved and
// opened through JavaScript.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

// Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it over `path`,
// so a crash or a full disk never leaves a half-written file: readers see the old content or the new.
// On failure the temporary file is removed, any previous file at `path` is left untouched, and
// std::runtime_error names the path and the reason.
void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

// Reads the whole file. Throws std::runtime_error naming the path for a missing or unreadable file,
// a directory, or a file larger than max_bytes (checked before reading it).
std::vector<std::uint8_t> read_file(const std::string& path, std::size_t max_bytes);

}  // namespace profundo
