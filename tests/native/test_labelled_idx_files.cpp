// The student's own IDX files: a labelled image set, or an error naming the file and the field.
#include "data/labelled_idx_files.hpp"

#include <catch2/catch.hpp>

using namespace profundo;

namespace {

std::vector<std::uint8_t> idx_bytes(std::vector<std::uint32_t> dims, std::size_t data_bytes, std::uint8_t fill = 0) {
  std::vector<std::uint8_t> bytes = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (auto d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(d >> shift));
  bytes.insert(bytes.end(), data_bytes, fill);
  return bytes;
}

IdxFile images_file(std::uint32_t count, std::uint32_t side = 28) {
  return {"my-images.idx", idx_bytes({count, side, side}, count * side * side, 9)};
}
IdxFile labels_file(std::uint32_t count, std::uint8_t label = 3) { return {"my-labels.idx", idx_bytes({count}, count, label)}; }

}  // namespace

TEST_CASE("two valid IDX files make a labelled image set", "[idx]") {
  const ImageSet set = image_set_from_idx_files(images_file(5), labels_file(5), "mine-train", 28, 28);
  CHECK(set.name == "mine-train");
  CHECK(set.count == 5);
  CHECK(set.height == 28);
  CHECK(set.width == 28);
  CHECK(set.pixels.size() == 5 * 784);
  CHECK(set.labels == std::vector<std::uint8_t>(5, 3));
}

TEST_CASE("bad uploaded IDX files name the file and what was expected", "[idx][validation]") {
  SECTION("wrong magic number in the labels file") {
    IdxFile labels = labels_file(5);
    labels.bytes[0] = 0x12;
    CHECK_THROWS_WITH(image_set_from_idx_files(images_file(5), labels, "mine", 28, 28),
                      Catch::StartsWith("my-labels.idx: not an IDX file: the magic number is 0x12000801, expected 0x00000801"));
  }
  SECTION("a gzip file that was not decompressed") {
    const IdxFile gz{"train.gz", {0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4}};
    CHECK_THROWS_WITH(image_set_from_idx_files(gz, labels_file(5), "mine", 28, 28),
                      Catch::StartsWith("train.gz:") && Catch::Contains("gzip"));
  }
  SECTION("a truncated images file") {
    IdxFile images = images_file(5);
    images.bytes.resize(images.bytes.size() - 100);
    CHECK_THROWS_WITH(image_set_from_idx_files(images, labels_file(5), "mine", 28, 28),
                      Catch::StartsWith("my-images.idx: truncated: the header promises 3920 bytes of data but the file has 3820"));
  }
  SECTION("the files swapped") {
    CHECK_THROWS_WITH(image_set_from_idx_files(labels_file(5), images_file(5), "mine", 28, 28),
                      Catch::StartsWith("my-labels.idx: an images file needs 3 dimensions") &&
                          Catch::Contains("is this a labels file?"));
    CHECK_THROWS_WITH(image_set_from_idx_files(images_file(5), images_file(5), "mine", 28, 28),
                      Catch::StartsWith("my-images.idx: a labels file needs 1 dimension") &&
                          Catch::Contains("is this an images file?"));
  }
  SECTION("counts that disagree") {
    CHECK_THROWS_WITH(image_set_from_idx_files(images_file(5), labels_file(4), "mine", 28, 28),
                      Catch::StartsWith("my-labels.idx: holds 4 labels but my-images.idx holds 5 images"));
  }
  SECTION("the wrong image size") {
    CHECK_THROWS_WITH(image_set_from_idx_files(images_file(2, 32), labels_file(2), "mine", 28, 28),
                      Catch::StartsWith("my-images.idx: images are 32 x 32 pixels") && Catch::Contains("expected 28 x 28"));
  }
  SECTION("a label out of range") {
    IdxFile labels = labels_file(3);
    labels.bytes.back() = 10;
    CHECK_THROWS_WITH(image_set_from_idx_files(images_file(3), labels, "mine", 28, 28),
                      Catch::StartsWith("my-labels.idx: label 10 of sample 2 is outside 0-9"));
  }
  SECTION("no images") {
    CHECK_THROWS_WITH(image_set_from_idx_files(images_file(0), labels_file(0), "mine", 28, 28),
                      Catch::StartsWith("my-images.idx: the header says 0 images"));
  }
}
