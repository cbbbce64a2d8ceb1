// Protocol Buffers wire format (https://protobuf.dev/programming-guides/encoding/), the subset ONNX
// files use: varints (wire type 0), 64-bit (1), length-delimited (2) and 32-bit (5) fields. Groups
// (3, 4) are refused. No schema here: onnx_proto.hpp names the fields.
//
// ProtoReader is for untrusted bytes: every length is checked against the bytes left before it is
// used, varints longer than 10 bytes are refused, and every error is std::invalid_argument naming
// `where` and what was wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace profundo::protobuf {

enum class WireType : std::uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

class ProtoWriter {
 public:
  void varint_field(int field, std::uint64_t value);
  void int64_field(int field, std::int64_t value) { varint_field(field, static_cast<std::uint64_t>(value)); }
  void float_field(int field, float value);  // wire type 5
  void bytes_field(int field, const std::uint8_t* data, std::size_t size);
  void string_field(int field, const std::string& text);
  void message_field(int field, const ProtoWriter& message) { bytes_field(field, message.bytes_.data(), message.bytes_.size()); }

  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  void tag(int field, WireType type);
  void raw_varint(std::uint64_t value);
  std::vector<std::uint8_t> bytes_;
};

// One field as read: its number and wire type, and either its scalar value (varint, fixed64,
// fixed32: the raw bits) or the span of its payload (length-delimited).
struct ProtoField {
  int number = 0;
  WireType type = WireType::varint;
  std::uint64_t value = 0;
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

class ProtoReader {
 public:
  ProtoReader(const std::uint8_t* data, std::size_t size, std::string where)
      : data_(data), end_(data + size), where_(std::move(where)) {}

  bool done() const { return data_ == end_; }
  // Reads the next field; throws on a truncated or malformed one.
  ProtoField next();
  const std::string& where() const { return where_; }

 private:
  std::uint64_t raw_varint(const char* what);
  const std::uint8_t* data_;
  const std::uint8_t* end_;
  std::string where_;
};

// Checked views of a field's value; each throws naming `where` when the wire type is not the one
// the schema expects.
std::int64_t as_int64(const ProtoField& field, const std::string& where);
float as_float(const ProtoField& field, const std::string& where);
std::string as_string(const ProtoField& field, const std::string& where);
ProtoReader as_message(const ProtoField& field, const std::string& where);
// A repeated int64 field in either encoding (packed in one length-delimited field, or one varint
// per field): appends the values to `out`, at most `max_count` in all.
void append_int64s(const ProtoField& field, std::vector<std::int64_t>& out, std::size_t max_count, const std::string& where);
// Likewise for a repeated float (packed, or one fixed32 per field).
void append_floats(const ProtoField& field, std::vector<float>& out, std::size_t max_count, const std::string& where);

}  // namespace profundo::protobuf
