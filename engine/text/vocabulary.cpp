#include "text/vocabulary.hpp"

#include "text/utf8.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace profundo {

namespace {

std::string describe(char32_t c) {
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
  return c >= 0x20 && c != 0x7F ? "'" + encode_utf8(c) + "' (" + code + ")" : std::string(code);
}

[[noreturn]] void not_in_vocabulary(const std::string& source, char32_t c, std::size_t position) {
  throw std::invalid_argument(source + ": character " + describe(c) + " at position " + std::to_string(position) +
                              " is not in the model's vocabulary");
}

}  // namespace

Vocabulary Vocabulary::from_text(const std::string& text, const std::string& source) {
  std::vector<char32_t> chars = decode_utf8(text, source);
  if (chars.empty()) throw std::invalid_argument(source + ": the text is empty");
  std::sort(chars.begin(), chars.end());
  chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
  Vocabulary vocabulary;
  vocabulary.code_points_ = std::move(chars);
  return vocabulary;
}

Vocabulary Vocabulary::from_code_points(std::vector<char32_t> code_points, const std::string& source) {
  if (code_points.empty()) throw std::invalid_argument(source + ": empty vocabulary");
  for (std::size_t i = 0; i < code_points.size(); ++i) {
    const char32_t c = code_points[i];
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || (i > 0 && c <= code_points[i - 1]))
      throw std::invalid_argument(source + ": vocabulary entry " + std::to_string(i) +
                                  " is not a valid, increasing code point");
  }
  Vocabulary vocabulary;
  vocabulary.code_points_ = std::move(code_points);
  return vocabulary;
}

int Vocabulary::index_of(char32_t code_point) const {
  const auto found = std::lower_bound(code_points_.begin(), code_points_.end(), code_point);
  return found != code_points_.end() && *found == code_point ? static_cast<int>(found - code_points_.begin()) : -1;
}

std::vector<int> Vocabulary::encode(const std::vector<char32_t>& chars, const std::string& source) const {
  // A table for the first 64k code points: encoding a corpus is a lookup per character.
  std::vector<int> table(0x10000, -1);
  for (std::size_t i = 0; i < code_points_.size(); ++i)
    if (code_points_[i] < 0x10000) table[code_points_[i]] = static_cast<int>(i);
  std::vector<int> indices(chars.size());
  for (std::size_t k = 0; k < chars.size(); ++k) {
    const char32_t c = chars[k];
    const int index = c < 0x10000 ? table[c] : index_of(c);
    if (index < 0) not_in_vocabulary(source, c, k);
    indices[k] = index;
  }
  return indices;
}

std::vector<int> Vocabulary::encode(const std::string& text, const std::string& source) const {
  return encode(decode_utf8(text, source), source);
}

void Vocabulary::encode_into(std::string_view text, const std::string& source, std::vector<int>& indices) const {
  indices.clear();
  for (std::size_t offset = 0; offset < text.size();) {
    char32_t c;
    offset = next_code_point(text, offset, c, source);
    const int index = index_of(c);
    if (index < 0) not_in_vocabulary(source, c, indices.size());
    indices.push_back(index);
  }
}

std::string Vocabulary::symbol(int index) const {
  return encode_utf8(code_points_.at(static_cast<std::size_t>(index)));
}

std::string Vocabulary::decode(const std::vector<int>& indices) const {
  std::string text;
  decode_into(indices, text);
  return text;
}

void Vocabulary::decode_into(const std::vector<int>& indices, std::string& text) const {
  text.clear();
  text.reserve(indices.size());  // one byte per character at least; more only outside ASCII
  for (const int index : indices) text += symbol(index);  // a code point's bytes fit the small-string buffer
}

}  // namespace profundo
