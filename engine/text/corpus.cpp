#include "text/corpus.hpp"

#include "persist/crc32.hpp"
#include "text/utf8.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

Corpus make_corpus(const std::string& text, float validation_fraction, int min_part_length, const std::string& source) {
  if (text.size() > max_corpus_bytes)
    throw std::invalid_argument(source + ": the text has " + std::to_string(text.size()) +
                                " bytes; the limit is 16 MB (16777216 bytes), please use a shorter text");
  if (!(validation_fraction >= 0.01f && validation_fraction <= 0.5f))
    throw std::invalid_argument("validation_fraction must be in [0.01, 0.5], got " + std::to_string(validation_fraction));
  const std::vector<char32_t> chars = decode_utf8(text, source);
  if (chars.empty()) throw std::invalid_argument(source + ": the text is empty");
  Corpus corpus;
  corpus.vocabulary = Vocabulary::from_text(text, source);
  const std::vector<int> all = corpus.vocabulary.encode(chars, source);
  const auto validation_size = static_cast<std::size_t>(std::llround(static_cast<double>(all.size()) * validation_fraction));
  const std::size_t train_size = all.size() - validation_size;
  const auto needed = static_cast<std::size_t>(min_part_length) + 1;
  if (train_size < needed || validation_size < needed)
    throw std::invalid_argument(source + ": the text has " + std::to_string(all.size()) +
                                " characters, too few for a training and a validation part of at least " +
                                std::to_string(needed) + " characters each (the sequence length + 1)");
  corpus.train.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(train_size));
  corpus.validation.assign(all.begin() + static_cast<std::ptrdiff_t>(train_size), all.end());
  corpus.bytes = text.size();
  corpus.checksum = crc32(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  return corpus;
}

}  // namespace profundo
