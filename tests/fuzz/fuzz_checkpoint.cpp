// Fuzz target: the saved-model file (decode_checkpoint), then resuming a classifier from it — the
// header's model, settings and progress and every tensor's shape are checked against each other.
// Most mutations break the CRC-32 and stop at the first check, so when the first input byte is odd
// the target rewrites the trailing checksum to match: the fuzzer then reaches the parser behind it.
#include "data/image_set.hpp"
#include "fuzz_target.hpp"
#include "persist/checkpoint.hpp"
#include "persist/crc32.hpp"
#include "train/classifier_session.hpp"

#include <memory>
#include <vector>

namespace {

// A small stand-in for MNIST: the resumed session only needs images of the right shape.
std::shared_ptr<const profundo::ImageSet> tiny_mnist(int count) {
  auto set = std::make_shared<profundo::ImageSet>();
  set->name = "mnist";
  set->count = count;
  set->height = 28;
  set->width = 28;
  set->pixels.assign(static_cast<std::size_t>(count) * 28 * 28, 0);
  for (std::size_t i = 0; i < set->pixels.size(); ++i) set->pixels[i] = static_cast<std::uint8_t>(i * 37);
  for (int i = 0; i < count; ++i) set->labels.push_back(static_cast<std::uint8_t>(i % 10));
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace profundo;
  if (size == 0) return 0;
  std::vector<std::uint8_t> file(data + 1, data + size);
  if ((data[0] & 1) != 0 && file.size() >= 4) {
    const std::uint32_t crc = crc32(file.data(), file.size() - 4);
    for (int i = 0; i < 4; ++i) file[file.size() - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  }
  static const auto train_set = tiny_mnist(64);
  static const auto test_set = tiny_mnist(16);
  fuzz::expect_parsed_or_rejected([&] {
    const Checkpoint saved = decode_checkpoint(file.data(), file.size(), "fuzz.profundo");
    ClassifierSession session(saved, "fuzz.profundo", train_set, test_set, 1);
    session.train_next_batch();
  });
  return 0;
}
