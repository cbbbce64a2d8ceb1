// What every fuzz target promises: any bytes either parse or throw std::invalid_argument (the
// engine's "bad input" error, with a message). Anything else — a crash, a sanitizer report, another
// exception type, a hang or a huge allocation — is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace profundo::fuzz {

// Runs `parse` and swallows only the engine's documented bad-input error.
template <typename Parse>
void expect_parsed_or_rejected(Parse&& parse) {
  try {
    parse();
  } catch (const std::invalid_argument&) {
    // A clear rejection is the right outcome for bad bytes.
  }
}

// For saved-model files: the input minus its first byte, and when that byte is odd the trailing
// CRC-32 rewritten to match, so that mutations reach the parser behind the checksum.
std::vector<std::uint8_t> saved_file_from_input(const std::uint8_t* data, std::size_t size);

}  // namespace profundo::fuzz
