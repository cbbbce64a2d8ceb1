#include "interop/protobuf_wire.hpp"

#include <cstring>
#include <stdexcept>

namespace profundo::protobuf {

void ProtoWriter::raw_varint(std::uint64_t value) {
  while (value >= 0x80) {
    bytes_.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  bytes_.push_back(static_cast<std::uint8_t>(value));
}

void ProtoWriter::tag(int field, WireType type) {
  raw_varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint64_t>(type));
}

void ProtoWriter::varint_field(int field, std::uint64_t value) {
  tag(field, WireType::varint);
  raw_varint(value);
}

void ProtoWriter::float_field(int field, float value) {
  tag(field, WireType::fixed32);
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

void ProtoWriter::bytes_field(int field, const std::uint8_t* data, std::size_t size) {
  tag(field, WireType::length_delimited);
  raw_varint(size);
  bytes_.insert(bytes_.end(), data, data + size);
}

void ProtoWriter::string_field(int field, const std::string& text) {
  bytes_field(field, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

namespace {

// One varint from [p, end), advancing p; `where` and `what` name it in errors.
std::uint64_t read_varint(const std::uint8_t*& p, const std::uint8_t* end, const std::string& where, const char* what) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (p == end) throw std::invalid_argument(where + ": truncated " + what);
    const std::uint8_t byte = *p++;
    if (shift == 63 && byte > 1) throw std::invalid_argument(where + ": " + what + " does not fit 64 bits");
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw std::invalid_argument(where + ": " + what + " longer than 10 bytes");
}

}  // namespace

std::uint64_t ProtoReader::raw_varint(const char* what) { return read_varint(data_, end_, where_, what); }

ProtoField ProtoReader::next() {
  const std::uint64_t key = raw_varint("field tag");
  ProtoField field;
  const std::uint64_t number = key >> 3;
  if (number == 0 || number > 536870911) throw std::invalid_argument(where_ + ": invalid field number " + std::to_string(number));
  field.number = static_cast<int>(number);
  const auto left = [&] { return static_cast<std::size_t>(end_ - data_); };
  const auto fixed = [&](int bytes) {
    if (left() < static_cast<std::size_t>(bytes))
      throw std::invalid_argument(where_ + ": truncated field " + std::to_string(number));
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value |= static_cast<std::uint64_t>(data_[i]) << (8 * i);
    data_ += bytes;
    return value;
  };
  switch (key & 7) {
    case 0:
      field.type = WireType::varint;
      field.value = raw_varint("varint");
      break;
    case 1:
      field.type = WireType::fixed64;
      field.value = fixed(8);
      break;
    case 2: {
      field.type = WireType::length_delimited;
      const std::uint64_t size = raw_varint("length");
      if (size > left())
        throw std::invalid_argument(where_ + ": field " + std::to_string(number) + " claims " + std::to_string(size) +
                                    " bytes but only " + std::to_string(left()) + " are left (truncated file?)");
      field.data = data_;
      field.size = static_cast<std::size_t>(size);
      data_ += size;
      break;
    }
    case 5:
      field.type = WireType::fixed32;
      field.value = fixed(4);
      break;
    default:
      throw std::invalid_argument(where_ + ": field " + std::to_string(number) + " has wire type " +
                                  std::to_string(key & 7) + ", which is not used by ONNX (groups or garbage)");
  }
  return field;
}

namespace {

void expect_type(const ProtoField& field, WireType type, const std::string& where, const char* expected) {
  if (field.type != type)
    throw std::invalid_argument(where + ": expected " + expected + " (wire type " +
                                std::to_string(static_cast<int>(type)) + "), got wire type " +
                                std::to_string(static_cast<int>(field.type)));
}

}  // namespace

std::int64_t as_int64(const ProtoField& field, const std::string& where) {
  expect_type(field, WireType::varint, where, "an integer");
  return static_cast<std::int64_t>(field.value);
}

float as_float(const ProtoField& field, const std::string& where) {
  expect_type(field, WireType::fixed32, where, "a float");
  const auto bits = static_cast<std::uint32_t>(field.value);
  float value = 0.0f;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::string as_string(const ProtoField& field, const std::string& where) {
  expect_type(field, WireType::length_delimited, where, "a string");
  return {reinterpret_cast<const char*>(field.data), field.size};
}

ProtoReader as_message(const ProtoField& field, const std::string& where) {
  expect_type(field, WireType::length_delimited, where, "a message");
  return {field.data, field.size, where};
}

void append_int64s(const ProtoField& field, std::vector<std::int64_t>& out, std::size_t max_count,
                   const std::string& where) {
  const auto push = [&](std::uint64_t value) {
    if (out.size() >= max_count) throw std::invalid_argument(where + ": more than " + std::to_string(max_count) + " values");
    out.push_back(static_cast<std::int64_t>(value));
  };
  if (field.type == WireType::varint) return push(field.value);
  expect_type(field, WireType::length_delimited, where, "integers");
  // Each packed varint takes at least one byte, so a bounded payload bounds the count.
  const std::uint8_t* p = field.data;
  const std::uint8_t* end = field.data + field.size;
  while (p != end) push(read_varint(p, end, where, "packed integer"));
}

void append_floats(const ProtoField& field, std::vector<float>& out, std::size_t max_count, const std::string& where) {
  if (field.type == WireType::fixed32) {
    if (out.size() >= max_count) throw std::invalid_argument(where + ": more than " + std::to_string(max_count) + " values");
    out.push_back(as_float(field, where));
    return;
  }
  expect_type(field, WireType::length_delimited, where, "floats");
  if (field.size % 4 != 0) throw std::invalid_argument(where + ": packed floats of " + std::to_string(field.size) + " bytes (not a multiple of 4)");
  if (out.size() + field.size / 4 > max_count)
    throw std::invalid_argument(where + ": more than " + std::to_string(max_count) + " values");
  for (std::size_t i = 0; i < field.size; i += 4) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) bits |= static_cast<std::uint32_t>(field.data[i + b]) << (8 * b);
    float value = 0.0f;
    std::memcpy(&value, &bits, sizeof value);
    out.push_back(value);
  }
}

}  // namespace profundo::protobuf
