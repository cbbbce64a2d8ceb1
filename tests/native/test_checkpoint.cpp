#include "persist/checkpoint.hpp"
#include "persist/crc32.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <limits>
#include <stdexcept>

using namespace profundo;

namespace {

using Bytes = std::vector<std::uint8_t>;

Checkpoint decode(const Bytes& bytes) { return decode_checkpoint(bytes.data(), bytes.size(), "model.ckpt"); }

Tensor tensor_of(Shape shape, std::initializer_list<float> values) {
  Tensor tensor(std::move(shape));
  REQUIRE(tensor.size() == values.size());
  std::copy(values.begin(), values.end(), tensor.data());
  return tensor;
}

// A small file with every kind of part: a header, a matrix, a vector and an empty tensor.
Bytes small_file() {
  Checkpoint checkpoint;
  checkpoint.header = {{"epoch", 1}};
  checkpoint.tensors = {{"w", tensor_of({2, 2}, {1, 2, 3, 4})}, {"b", tensor_of({2}, {-1, 0.5f})}, {"e", Tensor(Shape{0})}};
  return encode_checkpoint(checkpoint);
}

// Hand-made files for cases encode_checkpoint refuses to produce. finish() appends a valid CRC so
// that the error comes from the case being tested, not from the checksum.
struct RawFile {
  Bytes bytes;
  RawFile& u32(std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
    return *this;
  }
  RawFile& text(const std::string& text) {
    u32(static_cast<std::uint32_t>(text.size()));
    bytes.insert(bytes.end(), text.begin(), text.end());
    return *this;
  }
  RawFile& zeros(std::size_t n) {
    bytes.insert(bytes.end(), n, 0);
    return *this;
  }
  Bytes finish() {
    u32(crc32(bytes.data(), bytes.size()));
    return bytes;
  }
};

RawFile preamble(std::uint32_t version = 1) {
  RawFile file;
  for (char c : std::string("PROFUNDO")) file.bytes.push_back(static_cast<std::uint8_t>(c));
  return file.u32(version);
}

void check_same_bits(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  REQUIRE(a.size() == b.size());
  if (a.size() > 0) CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);  // data() may be null
}

}  // namespace

TEST_CASE("crc32 gives the standard check value", "[checkpoint][crc32]") {
  const std::string text = "123456789";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  CHECK(crc32(bytes, text.size()) == 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
  CHECK(crc32(bytes, 0) == 0u);
  CHECK(crc32(bytes + 4, 5, crc32(bytes, 4)) == 0xCBF43926u);  // chunks chain
}

TEST_CASE("a checkpoint round trips bit-exactly", "[checkpoint]") {
  Checkpoint original;
  original.header = {{"model", {{"input", {1, 28, 28}}, {"loss", "softmax_cross_entropy"}}},
                     {"seed", 42},
                     {"epoch", 3},
                     {"dataset", "mnist – ünïcode"},
                     {"rng", "18446744073709551615 0 12"}};
  Tensor rank4(Shape{2, 3, 2, 2});
  for (std::size_t i = 0; i < rank4.size(); ++i) rank4[i] = 0.1f * static_cast<float>(i) - 1.0f;
  const float nan_with_payload = [] {
    const std::uint32_t bits = 0x7FC01234u;
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }();
  original.tensors = {
      {"conv.weight", rank4},
      {"special", tensor_of({6}, {-0.0f, std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
                                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                                  nan_with_payload})},
      {"empty", Tensor(Shape{0})},
      {"empty.middle", Tensor(Shape{2, 0, 3})},
      {"scalar", tensor_of({}, {7.5f})},
      {"", tensor_of({1}, {1.0f})},
      {"adam.m.0", Tensor(Shape{3, 1}, 0.25f)},
  };

  const Bytes bytes = encode_checkpoint(original);
  const Checkpoint decoded = decode(bytes);
  CHECK(decoded.header == original.header);
  REQUIRE(decoded.tensors.size() == original.tensors.size());
  for (std::size_t i = 0; i < original.tensors.size(); ++i) {
    INFO("tensor " << i);
    CHECK(decoded.tensors[i].first == original.tensors[i].first);
    check_same_bits(decoded.tensors[i].second, original.tensors[i].second);
  }
  CHECK(encode_checkpoint(decoded) == bytes);

  const Checkpoint nothing = decode(encode_checkpoint(Checkpoint{}));
  CHECK(nothing.header.is_null());
  CHECK(nothing.tensors.empty());
}

TEST_CASE("the checkpoint byte layout is fixed", "[checkpoint]") {
  Checkpoint checkpoint;
  checkpoint.header = {{"a", 1}};
  checkpoint.tensors = {{"w", tensor_of({2}, {1.0f, -2.0f})}};
  // "PROFUNDO", version 1, header length 7 + text, 1 tensor, name length 1 + "w", rank 1, dim 2,
  // 1.0f = 0x3F800000 and -2.0f = 0xC0000000 little-endian, then the CRC-32 of those 48 bytes
  // (zlib.crc32 in Python gives 0x03F775E5).
  const Bytes expected = {'P', 'R', 'O', 'F', 'U', 'N', 'D', 'O', 1, 0, 0, 0, 7, 0, 0, 0, '{', '"', 'a', '"', ':', '1', '}',
                          1, 0, 0, 0, 1, 0, 0, 0, 'w', 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0,
                          0xE5, 0x75, 0xF7, 0x03};
  CHECK(encode_checkpoint(checkpoint) == expected);
}

TEST_CASE("encoding refuses tensors the format cannot describe", "[checkpoint][validation]") {
  Checkpoint checkpoint;
  checkpoint.tensors = {{"unset", Tensor()}};  // shape [] promises one value; a default Tensor has none
  CHECK_THROWS_WITH(encode_checkpoint(checkpoint), Catch::Contains("'unset'") && Catch::Contains("Shape{0}"));
  checkpoint.tensors = {{"deep", Tensor(Shape(9, 1))}};
  CHECK_THROWS_WITH(encode_checkpoint(checkpoint), Catch::Contains("'deep'") && Catch::Contains("rank 9"));
  checkpoint.tensors.clear();
  checkpoint.header = {{"name", std::string("\xff\xfe")}};
  CHECK_THROWS_WITH(encode_checkpoint(checkpoint), Catch::Contains("header"));
}

TEST_CASE("every truncation of a checkpoint is reported and never crashes", "[checkpoint][validation]") {
  const Bytes bytes = small_file();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    INFO("prefix of " << length << " of " << bytes.size() << " bytes");
    const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
    const auto expected = length == 0 ? Catch::Contains("empty file") : Catch::Contains("truncated");
    CHECK_THROWS_AS(decode(prefix), std::invalid_argument);
    CHECK_THROWS_WITH(decode(prefix), Catch::StartsWith("model.ckpt: ") && expected);
  }
  const auto cut = [&](std::size_t length) { return Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length)); };
  CHECK_THROWS_WITH(decode(cut(5)), Catch::Contains("magic bytes"));
  CHECK_THROWS_WITH(decode(cut(10)), Catch::Contains("format version"));
  CHECK_THROWS_WITH(decode(cut(14)), Catch::Contains("header length"));
  CHECK_THROWS_WITH(decode(cut(20)), Catch::Contains("in the header"));
  CHECK_THROWS_WITH(decode(cut(bytes.size() - 4)), Catch::Contains("checksum"));
  CHECK_THROWS_WITH(decode(cut(bytes.size() - 20)), Catch::Contains("tensor 1 ('b') data"));
}

TEST_CASE("every single-bit flip of a checkpoint is detected", "[checkpoint][validation]") {
  const Bytes bytes = small_file();
  const std::size_t header_begin = 8 + 4 + 4, header_end = header_begin + std::string(R"({"epoch":1})").size();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      INFO("byte " << i << " bit " << bit);
      Bytes flipped = bytes;
      flipped[i] = static_cast<std::uint8_t>(flipped[i] ^ (1u << bit));
      CHECK_THROWS_AS(decode(flipped), std::invalid_argument);
      // The JSON is parsed only after the checksum matched: damage there is reported as corruption.
      if (i >= header_begin && i < header_end) CHECK_THROWS_WITH(decode(flipped), Catch::Contains("corrupted: checksum"));
    }
  }
  Bytes damaged = bytes;
  damaged[bytes.size() - 20] ^= 0x01;  // inside the data of "b" (then come 13 bytes of "e" and the CRC)
  CHECK_THROWS_WITH(decode(damaged), Catch::StartsWith("model.ckpt: corrupted: checksum"));
}

TEST_CASE("foreign files are recognised as not being checkpoints", "[checkpoint][validation]") {
  const auto text = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
  CHECK_THROWS_WITH(decode({}), Catch::StartsWith("model.ckpt: empty file"));
  CHECK_THROWS_WITH(decode({0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3}),
                    Catch::Contains("not a Profundo checkpoint") && Catch::Contains("gzip"));
  CHECK_THROWS_WITH(decode({0, 0, 0x08, 0x03, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28}),
                    Catch::Contains("not a Profundo checkpoint") && Catch::Contains("IDX"));
  CHECK_THROWS_WITH(decode(text("  {\"input\": [784], \"layers\": []}")),
                    Catch::Contains("not a Profundo checkpoint") && Catch::Contains("JSON"));
  CHECK_THROWS_WITH(decode(text("PK\x03\x04 archive")), Catch::Contains("zip"));
  CHECK_THROWS_WITH(decode(text("\x89HDF\r\n\x1a\n....")), Catch::Contains("HDF5"));
  CHECK_THROWS_WITH(decode(text("hello world")), Catch::Contains("not a Profundo checkpoint"));
  CHECK_THROWS_WITH(decode(text("PROFUNDX")), Catch::Contains("not a Profundo checkpoint"));
}

TEST_CASE("a checkpoint from a newer format version is refused by name", "[checkpoint][validation]") {
  Bytes bytes = small_file();
  bytes[8] = 3;
  CHECK_THROWS_WITH(decode(bytes),
                    "model.ckpt: made by a newer version of Profundo (format 3, this build reads up to 1)");
  bytes[8] = 0;
  CHECK_THROWS_WITH(decode(bytes), Catch::Contains("invalid checkpoint format version 0"));
}

TEST_CASE("absurd sizes are rejected before allocating", "[checkpoint][validation]") {
  SECTION("a header longer than the file") {
    CHECK_THROWS_WITH(decode(preamble().u32(0xFFFFFFFFu).zeros(8).finish()), Catch::Contains("truncated in the header"));
  }
  SECTION("more tensors than the file can hold") {
    CHECK_THROWS_WITH(decode(preamble().text("{}").u32(0xFFFFFFFFu).bytes),
                      Catch::Contains("truncated in the tensor 0 name length"));
  }
  SECTION("a name longer than the file") {
    CHECK_THROWS_WITH(decode(preamble().text("{}").u32(1).u32(0xFFFFFFF0u).finish()), Catch::Contains("tensor 0 name"));
  }
  SECTION("rank above 8") {
    CHECK_THROWS_WITH(decode(preamble().text("{}").u32(1).text("w").u32(9).zeros(64).finish()),
                      Catch::Contains("tensor 0 ('w') has rank 9"));
  }
  SECTION("a dimension that does not fit an int") {
    CHECK_THROWS_WITH(decode(preamble().text("{}").u32(1).text("w").u32(1).u32(0x80000000u).finish()),
                      Catch::Contains("dimension 0 is too large"));
  }
  SECTION("dimensions whose product overflows") {
    RawFile file = preamble().text("{}").u32(1).text("w").u32(8);
    for (int i = 0; i < 8; ++i) file.u32(0x7FFFFFFFu);
    CHECK_THROWS_WITH(decode(file.zeros(16).finish()), Catch::Contains("needs more than the"));
  }
  SECTION("dimensions that promise more data than the file has") {
    CHECK_THROWS_WITH(decode(preamble().text("{}").u32(1).text("w").u32(2).u32(1000).u32(1000).zeros(16).finish()),
                      Catch::Contains("truncated or corrupted in the tensor 0 ('w') data"));
  }
  SECTION("a zero dimension makes huge other dimensions harmless") {
    const Checkpoint checkpoint = decode(preamble().text("{}").u32(1).text("w").u32(2).u32(0x7FFFFFFFu).u32(0).finish());
    CHECK(checkpoint.tensors.at(0).second.shape() == Shape{0x7FFFFFFF, 0});
    CHECK(checkpoint.tensors.at(0).second.empty());
  }
}

TEST_CASE("bad headers and trailing bytes are reported", "[checkpoint][validation]") {
  SECTION("header not valid JSON") {
    CHECK_THROWS_WITH(decode(preamble().text(R"({"epoch":)").u32(0).finish()),
                      Catch::StartsWith("model.ckpt: the checkpoint header is not valid JSON"));
  }
  SECTION("header with invalid UTF-8") {
    CHECK_THROWS_WITH(decode(preamble().text("\"\xff\"").u32(0).finish()), Catch::Contains("not valid JSON"));
  }
  SECTION("deeply nested header does not overflow the stack") {
    const std::size_t depth = 100000;
    const Checkpoint checkpoint = decode(preamble().text(std::string(depth, '[') + std::string(depth, ']')).u32(0).finish());
    CHECK(checkpoint.header.is_array());
  }
  SECTION("trailing bytes") {
    Bytes bytes = small_file();
    bytes.push_back(0);
    CHECK_THROWS_WITH(decode(bytes), "model.ckpt: 1 unexpected bytes after the end of the checkpoint");
  }
}
