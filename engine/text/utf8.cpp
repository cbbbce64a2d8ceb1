#include "text/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace profundo {

namespace {

[[noreturn]] void fail(const std::string& source, std::size_t offset, const char* why, unsigned byte) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", byte);
  throw std::invalid_argument(source + ": invalid UTF-8 at byte " + std::to_string(offset) + " (" + why + ", byte " +
                              hex + "); save the text as UTF-8");
}

}  // namespace

std::size_t next_code_point(std::string_view text, std::size_t i, char32_t& code_point, const std::string& source) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t size = text.size();
  const std::uint8_t lead = bytes[i];
  if (lead < 0x80) {
    code_point = lead;
    return i + 1;
  }
  int length;
  char32_t code;
  char32_t minimum;
  if ((lead & 0xE0) == 0xC0) length = 2, code = lead & 0x1F, minimum = 0x80;
  else if ((lead & 0xF0) == 0xE0) length = 3, code = lead & 0x0F, minimum = 0x800;
  else if ((lead & 0xF8) == 0xF0) length = 4, code = lead & 0x07, minimum = 0x10000;
  else fail(source, i, lead < 0xC0 ? "continuation byte without a lead byte" : "byte never used in UTF-8", lead);
  if (i + static_cast<std::size_t>(length) > size) fail(source, i, "sequence cut short by the end of the text", lead);
  for (int k = 1; k < length; ++k) {
    const std::uint8_t next = bytes[i + static_cast<std::size_t>(k)];
    if ((next & 0xC0) != 0x80) fail(source, i, "lead byte not followed by enough continuation bytes", lead);
    code = (code << 6) | (next & 0x3F);
  }
  if (code < minimum) fail(source, i, "overlong encoding", lead);
  if (code > 0x10FFFF) fail(source, i, "code point above U+10FFFF", lead);
  if (code >= 0xD800 && code <= 0xDFFF) fail(source, i, "UTF-16 surrogate", lead);
  code_point = code;
  return i + static_cast<std::size_t>(length);
}

std::vector<char32_t> decode_utf8(const std::string& text, const std::string& source) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t code;
    i = next_code_point(text, i, code, source);
    out.push_back(code);
  }
  return out;
}

std::string encode_utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

}  // namespace profundo
