// Fuzz target: the saved-model file (decode_checkpoint), then resuming a classifier from it — the
// header's model, settings and progress and every tensor's shape are checked against each other.
// The first input byte decides whether the CRC-32 is re-signed (fuzz_target.hpp).
#include "data/image_set.hpp"
#include "fuzz_target.hpp"
#include "persist/checkpoint.hpp"
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
  const std::vector<std::uint8_t> file = fuzz::saved_file_from_input(data, size);
  static const auto train_set = tiny_mnist(64);
  static const auto test_set = tiny_mnist(16);
  fuzz::expect_parsed_or_rejected([&] {
    const Checkpoint saved = decode_checkpoint(file.data(), file.size(), "fuzz.profundo");
    ClassifierSession session(saved, "fuzz.profundo", train_set, test_set, 1);
    session.train_next_batch();
  });
  return 0;
}
