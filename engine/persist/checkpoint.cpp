#include "persist/checkpoint.hpp"

#include "persist/crc32.hpp"

#include <climits>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace profundo {

namespace {

constexpr char magic[8] = {'P', 'R', 'O', 'F', 'U', 'N', 'D', 'O'};
constexpr std::size_t magic_size = sizeof(magic);

// ---- writing ----

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

std::uint32_t checked_u32(std::size_t value, const std::string& what) {
  if (value > UINT32_MAX) throw std::invalid_argument("checkpoint: " + what + " is too large (" + std::to_string(value) + ")");
  return static_cast<std::uint32_t>(value);
}

void put_text(std::vector<std::uint8_t>& out, const std::string& text, const std::string& what) {
  put_u32(out, checked_u32(text.size(), what));
  out.insert(out.end(), text.begin(), text.end());
}

// ---- reading ----

std::uint32_t get_u32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}

// A helpful guess at what a non-checkpoint file is, e.g. " (it looks like a gzip file)".
std::string describe_foreign_file(const std::uint8_t* bytes, std::size_t size) {
  const auto starts_with = [&](const char* prefix, std::size_t n) {
    return size >= n && std::memcmp(bytes, prefix, n) == 0;
  };
  if (starts_with("\x1f\x8b", 2)) return " (it looks like a gzip file)";
  if (starts_with("PK\x03\x04", 4)) return " (it looks like a zip archive, e.g. a PyTorch .pt file)";
  if (starts_with("\x89HDF\r\n\x1a\n", 8)) return " (it looks like an HDF5 file, e.g. a Keras .h5 model)";
  if (starts_with("\x93NUMPY", 6)) return " (it looks like a NumPy .npy array)";
  if (size >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x08) return " (it looks like an IDX data file)";
  std::size_t i = 0;
  while (i < size && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) ++i;
  if (i < size && (bytes[i] == '{' || bytes[i] == '['))
    return " (it looks like JSON text, e.g. a model description rather than a saved model)";
  return "";
}

// Where a tensor's pieces lie in the input; built by the structural pass, before anything is allocated
// for the data.
struct TensorSpan {
  std::string name;
  Shape shape;
  std::size_t count = 0;
  const std::uint8_t* data = nullptr;
};

class Reader {
 public:
  Reader(const std::uint8_t* bytes, std::size_t size, const std::string& source)
      : bytes_(bytes), size_(size), source_(source) {}

  [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(source_ + ": " + what); }

  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return size_ - offset_; }

  // Returns the next n bytes, or fails saying which part of the file was cut off.
  const std::uint8_t* take(std::size_t n, const std::string& part) {
    if (n > remaining())
      fail("truncated in the " + part + ": it needs " + std::to_string(n) + " bytes at offset " + std::to_string(offset_) +
           " but the file has only " + std::to_string(remaining()) + " more");
    const std::uint8_t* p = bytes_ + offset_;
    offset_ += n;
    return p;
  }
  std::uint32_t u32(const std::string& part) { return get_u32(take(4, part)); }

 private:
  const std::uint8_t* bytes_;
  std::size_t size_;
  std::size_t offset_ = 0;
  const std::string& source_;
};

void check_magic_and_version(Reader& in, const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) in.fail("empty file, not a Profundo checkpoint");
  const std::size_t compared = size < magic_size ? size : magic_size;
  if (std::memcmp(bytes, magic, compared) != 0)
    in.fail("not a Profundo checkpoint (no \"PROFUNDO\" magic bytes)" + describe_foreign_file(bytes, size));
  in.take(magic_size, "magic bytes");
  const std::uint32_t version = in.u32("format version");
  if (version == 0) in.fail("invalid checkpoint format version 0 (the file is corrupted)");
  if (version > checkpoint_format_version)
    in.fail("made by a newer version of Profundo (format " + std::to_string(version) + ", this build reads up to " +
            std::to_string(checkpoint_format_version) + ")");
}

TensorSpan read_tensor_span(Reader& in, std::uint32_t index) {
  TensorSpan span;
  std::string part = "tensor " + std::to_string(index);
  const std::uint32_t name_size = in.u32(part + " name length");
  const std::uint8_t* name = in.take(name_size, part + " name");
  span.name.assign(reinterpret_cast<const char*>(name), name_size);
  part += " ('" + span.name + "')";

  const std::uint32_t rank = in.u32(part + " rank");
  if (rank > checkpoint_max_rank)
    in.fail(part + " has rank " + std::to_string(rank) + ", more than the " + std::to_string(checkpoint_max_rank) +
            " a checkpoint allows (the file is corrupted)");
  const std::uint8_t* dims = in.take(4 * std::size_t{rank}, part + " dimensions");
  bool has_zero_dim = false;
  for (std::uint32_t i = 0; i < rank; ++i) {
    const std::uint32_t dim = get_u32(dims + 4 * i);
    if (dim > static_cast<std::uint32_t>(INT_MAX))
      in.fail(part + " dimension " + std::to_string(i) + " is too large (" + std::to_string(dim) + ")");
    span.shape.push_back(static_cast<int>(dim));
    has_zero_dim = has_zero_dim || dim == 0;
  }

  // Multiply with a bound instead of trusting the product: the dims may come from a corrupted file
  // and must not overflow or promise more floats than the bytes that are left.
  const std::size_t floats_left = in.remaining() / 4;
  std::size_t count = 1;
  if (has_zero_dim) count = 0;
  else
    for (int dim : span.shape) {
      if (static_cast<std::size_t>(dim) > floats_left / count)
        in.fail("truncated or corrupted in the " + part + " data: shape " + to_string(span.shape) + " needs more than the " +
                std::to_string(floats_left) + " floats left in the file");
      count *= static_cast<std::size_t>(dim);
    }
  span.count = count;
  span.data = in.take(4 * count, part + " data");
  return span;
}

Tensor make_tensor(const TensorSpan& span) {
  Tensor tensor(span.shape);
  float* out = tensor.data();
  for (std::size_t i = 0; i < span.count; ++i) {
    const std::uint32_t bits = get_u32(span.data + 4 * i);
    std::memcpy(out + i, &bits, sizeof bits);
  }
  return tensor;
}

}  // namespace

std::vector<std::uint8_t> encode_checkpoint(const Checkpoint& checkpoint) {
  std::string header;
  try {
    header = checkpoint.header.dump();
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(std::string("checkpoint: the header cannot be written as JSON (") + error.what() + ")");
  }
  std::size_t total = magic_size + 4 + 4 + header.size() + 4 + 4;
  for (const auto& [name, tensor] : checkpoint.tensors) {
    if (tensor.rank() > checkpoint_max_rank)
      throw std::invalid_argument("checkpoint: tensor '" + name + "' has rank " + std::to_string(tensor.rank()) +
                                  ", more than " + std::to_string(checkpoint_max_rank));
    if (tensor.size() != element_count(tensor.shape()))
      throw std::invalid_argument("checkpoint: tensor '" + name + "' holds " + std::to_string(tensor.size()) +
                                  " values but its shape " + to_string(tensor.shape()) + " needs " +
                                  std::to_string(element_count(tensor.shape())) + " (use Shape{0} for an empty tensor)");
    total += 4 + name.size() + 4 + 4 * tensor.shape().size() + 4 * tensor.size();
  }

  std::vector<std::uint8_t> out(magic, magic + magic_size);
  out.reserve(total);
  put_u32(out, checkpoint_format_version);
  put_text(out, header, "the header");
  put_u32(out, checked_u32(checkpoint.tensors.size(), "tensor count"));
  for (const auto& [name, tensor] : checkpoint.tensors) {
    put_text(out, name, "the name of tensor '" + name.substr(0, 40) + "...'");
    put_u32(out, static_cast<std::uint32_t>(tensor.rank()));
    for (int dim : tensor.shape()) put_u32(out, static_cast<std::uint32_t>(dim));
    for (std::size_t i = 0; i < tensor.size(); ++i) {
      std::uint32_t bits;
      std::memcpy(&bits, tensor.data() + i, sizeof bits);
      put_u32(out, bits);
    }
  }
  put_u32(out, crc32(out.data(), out.size()));
  return out;
}

Checkpoint decode_checkpoint(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  Reader in(bytes, size, source);
  check_magic_and_version(in, bytes, size);

  // Structural pass: every length is checked against the bytes actually present, so truncation is
  // reported with the part it cut and nothing is allocated on the word of a corrupted length.
  const std::uint32_t header_size = in.u32("header length");
  const std::uint8_t* header = in.take(header_size, "header");
  const std::uint32_t tensor_count = in.u32("tensor count");
  std::vector<TensorSpan> spans;
  for (std::uint32_t i = 0; i < tensor_count; ++i) spans.push_back(read_tensor_span(in, i));
  const std::size_t checked_size = in.offset();
  const std::uint32_t stored_crc = in.u32("checksum");
  if (in.remaining() > 0)
    in.fail(std::to_string(in.remaining()) + " unexpected bytes after the end of the checkpoint");

  const std::uint32_t actual_crc = crc32(bytes, checked_size);
  if (actual_crc != stored_crc) {
    char message[96];
    std::snprintf(message, sizeof message, "corrupted: checksum 0x%08X does not match the stored 0x%08X",
                  static_cast<unsigned>(actual_crc), static_cast<unsigned>(stored_crc));
    in.fail(message);
  }

  Checkpoint checkpoint;
  try {
    checkpoint.header = nlohmann::json::parse(header, header + header_size);
  } catch (const nlohmann::json::exception& error) {
    in.fail(std::string("the checkpoint header is not valid JSON (") + error.what() + ")");
  }
  checkpoint.tensors.reserve(spans.size());
  for (const TensorSpan& span : spans) checkpoint.tensors.emplace_back(span.name, make_tensor(span));
  return checkpoint;
}

}  // namespace profundo
