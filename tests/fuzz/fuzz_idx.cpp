// Fuzz target: the IDX reader, the image-set builder that checks images against labels, and the
// page's upload path (image_set_from_idx_files).
// The input is split in two at its first byte (a position), giving an image file and a label file.
#include "data/idx.hpp"
#include "data/image_set.hpp"
#include "data/labelled_idx_files.hpp"
#include "fuzz_target.hpp"

#include <algorithm>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace profundo;
  if (size == 0) return 0;
  const std::size_t split = std::min<std::size_t>(data[0] * 4u, size - 1);
  const std::vector<std::uint8_t> images(data + 1, data + 1 + split);
  const std::vector<std::uint8_t> labels(data + 1 + split, data + size);
  fuzz::expect_parsed_or_rejected([&] { parse_idx(data, size, "fuzz.idx"); });
  fuzz::expect_parsed_or_rejected([&] { load_image_set_from_idx_bytes(images, labels, "fuzz", 0, 0); });
  fuzz::expect_parsed_or_rejected([&] { load_image_set_from_idx_bytes(images, labels, "fuzz", 28, 28); });
  fuzz::expect_parsed_or_rejected([&] {
    image_set_from_idx_files({"images.idx", images}, {"labels.idx", labels}, "custom", 28, 28, 10);
  });
  return 0;
}
