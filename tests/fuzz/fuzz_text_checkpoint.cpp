// Fuzz target: a saved text model, reopened without its corpus (as the page and `text --sample`
// do) and asked for a few characters.
#include "fuzz_target.hpp"
#include "persist/checkpoint.hpp"
#include "text/text_session.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace profundo;
  const std::vector<std::uint8_t> file = fuzz::saved_file_from_input(data, size);
  fuzz::expect_parsed_or_rejected([&] {
    const Checkpoint saved = decode_checkpoint(file.data(), file.size(), "fuzz.profundo");
    TextSession session(saved, "fuzz.profundo", "", 1);
    session.sample("", 8, 1.0f, 1);
  });
  return 0;
}
