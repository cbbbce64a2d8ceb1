// Fuzz target: a text the student pastes or uploads — UTF-8 decoding, the vocabulary and the
// train/validation split (make_corpus).
#include "fuzz_target.hpp"
#include "text/corpus.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace profundo;
  const std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_parsed_or_rejected([&] { make_corpus(text, 0.1f, 8, "fuzz.txt"); });
  return 0;
}
