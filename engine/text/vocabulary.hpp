// The character vocabulary of a corpus: its distinct Unicode code points in increasing order, each
// with an index in [0, V). "á", "ñ", "¿" are one character each (decoded from UTF-8), not two bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace profundo {

class Vocabulary {
 public:
  // Throws for invalid UTF-8 (with the byte offset) or an empty text.
  static Vocabulary from_text(const std::string& text, const std::string& source);
  // From saved code points (must be distinct and increasing).
  static Vocabulary from_code_points(std::vector<char32_t> code_points, const std::string& source);

  int size() const { return static_cast<int>(code_points_.size()); }
  const std::vector<char32_t>& code_points() const { return code_points_; }
  // Index of a code point, or −1 when it is not in the vocabulary.
  int index_of(char32_t code_point) const;
  // Text -> indices; throws naming the first character that is not in the vocabulary.
  std::vector<int> encode(const std::string& text, const std::string& source) const;
  std::vector<int> encode(const std::vector<char32_t>& code_points, const std::string& source) const;
  // The same into a caller-owned vector, whose storage is kept: one binary search per character, for
  // short texts such as a priming text (encode() builds a lookup table for a whole corpus).
  void encode_into(std::string_view text, const std::string& source, std::vector<int>& indices) const;
  std::string decode(const std::vector<int>& indices) const;
  // Replaces `text` with the decoded characters, keeping its storage.
  void decode_into(const std::vector<int>& indices, std::string& text) const;
  std::string symbol(int index) const;

 private:
  std::vector<char32_t> code_points_;
};

}  // namespace profundo
