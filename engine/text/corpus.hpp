// A training corpus: its vocabulary and its characters as indices, split into a training part and a
// validation part (the last fraction of the text, kept whole so that it reads as unseen prose).
#pragma once

#include "text/vocabulary.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace profundo {

// User text above this size is refused (the page keeps the corpus, its indices and the model in
// wasm memory).
constexpr std::size_t max_corpus_bytes = 16u << 20;

struct Corpus {
  Vocabulary vocabulary;
  std::vector<int> train;       // indices of the first (1 − validation_fraction) of the characters
  std::vector<int> validation;  // the rest
  std::size_t bytes = 0;
  std::uint32_t checksum = 0;   // CRC-32 of the UTF-8 bytes, to recognise the corpus on resume
};

// Throws std::invalid_argument starting with `source` for text above max_corpus_bytes, invalid
// UTF-8 (with the byte offset), an empty text, a validation_fraction outside [0.01, 0.5], or parts
// too short to hold one sequence of min_part_length + 1 characters.
Corpus make_corpus(const std::string& text, float validation_fraction, int min_part_length, const std::string& source);

}  // namespace profundo
