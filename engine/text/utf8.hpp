// Strict UTF-8 decoding (RFC 3629): overlong forms, surrogates, code points above U+10FFFF and
// truncated sequences are errors that give the byte offset, so "¿Qué?" is 5 characters and a
// Latin-1 file is refused with a precise message instead of becoming mojibake.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace profundo {

// Throws std::invalid_argument "SOURCE: invalid UTF-8 at byte OFFSET (…)".
std::vector<char32_t> decode_utf8(const std::string& text, const std::string& source);
// The code point that starts at byte `offset` (< text.size()) into `code_point`; returns the offset
// of the next one. Throws as decode_utf8 does. For walking a text without a decoded copy.
std::size_t next_code_point(std::string_view text, std::size_t offset, char32_t& code_point, const std::string& source);
std::string encode_utf8(char32_t code_point);

}  // namespace profundo
