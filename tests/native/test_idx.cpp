#include "data/image_set.hpp"

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

IdxArray parse(const std::vector<std::uint8_t>& bytes) { return parse_idx(bytes.data(), bytes.size(), "file.idx"); }

}  // namespace

TEST_CASE("a well-formed IDX file parses", "[idx]") {
  auto bytes = idx_bytes({2, 3, 4}, 24, 7);
  const IdxArray array = parse(bytes);
  CHECK(array.dims == std::vector<int>{2, 3, 4});
  REQUIRE(array.data.size() == 24);
  CHECK(array.data[23] == 7);
}

TEST_CASE("bad IDX files give specific errors naming the file", "[idx][validation]") {
  SECTION("empty or too short") {
    CHECK_THROWS_WITH(parse({}), Catch::StartsWith("file.idx") && Catch::Contains("too short"));
    CHECK_THROWS_WITH(parse({0, 0}), Catch::Contains("too short"));
  }
  SECTION("wrong magic number (e.g. a gzip file that was not decompressed)") {
    CHECK_THROWS_WITH(parse({0x1f, 0x8b, 0x08, 0x08, 1, 2, 3, 4}), Catch::Contains("magic"));
  }
  SECTION("unsupported type") {
    auto bytes = idx_bytes({2}, 8);
    bytes[2] = 0x0D;  // float32
    CHECK_THROWS_WITH(parse(bytes), Catch::Contains("data type"));
  }
  SECTION("rank 0 or too many dimensions") {
    CHECK_THROWS_WITH(parse({0, 0, 8, 0}), Catch::Contains("rank"));
    CHECK_THROWS_WITH(parse(idx_bytes({1, 1, 1, 1, 1}, 1)), Catch::Contains("rank"));
  }
  SECTION("truncated header") {
    auto bytes = idx_bytes({60000, 28, 28}, 0);
    bytes.resize(10);
    CHECK_THROWS_WITH(parse(bytes), Catch::Contains("truncated header"));
  }
  SECTION("truncated data") {
    CHECK_THROWS_WITH(parse(idx_bytes({10, 28, 28}, 10 * 28 * 28 - 1)), Catch::Contains("truncated"));
  }
  SECTION("extra data after the array") {
    CHECK_THROWS_WITH(parse(idx_bytes({3}, 4)), Catch::Contains("1 bytes more"));
  }
  SECTION("a header that claims a huge array is rejected before allocating") {
    CHECK_THROWS_WITH(parse(idx_bytes({0x7fffffff, 0x7fffffff, 0x7fffffff}, 16)), Catch::Contains("large"));
    CHECK_THROWS_WITH(parse(idx_bytes({0xffffffffu}, 16)), Catch::Contains("too large"));
  }
}

TEST_CASE("image and label files must agree", "[idx][validation]") {
  const auto images = idx_bytes({3, 28, 28}, 3 * 28 * 28);
  SECTION("matching files make a set") {
    const auto labels = idx_bytes({3}, 3, 9);
    const ImageSet set = load_image_set_from_idx_bytes(images, labels, "tiny", 28, 28);
    CHECK(set.count == 3);
    CHECK(set.labels[2] == 9);
    CHECK(set.pixels.size() == 3 * 28 * 28);
  }
  SECTION("different counts") {
    CHECK_THROWS_WITH(load_image_set_from_idx_bytes(images, idx_bytes({4}, 4), "tiny"),
                      Catch::Contains("3 images but 4 labels"));
  }
  SECTION("labels outside 0-9") {
    CHECK_THROWS_WITH(load_image_set_from_idx_bytes(images, idx_bytes({3}, 3, 10), "tiny"),
                      Catch::Contains("label 10") && Catch::Contains("0-9"));
  }
  SECTION("images and labels swapped") {
    CHECK_THROWS_WITH(load_image_set_from_idx_bytes(idx_bytes({3}, 3), images, "tiny"),
                      Catch::Contains("3-dimensional"));
  }
  SECTION("unexpected image size") {
    CHECK_THROWS_WITH(load_image_set_from_idx_bytes(idx_bytes({3, 32, 32}, 3 * 32 * 32), idx_bytes({3}, 3), "tiny", 28, 28),
                      Catch::Contains("32x32") && Catch::Contains("expected 28x28"));
  }
}

TEST_CASE("batches are normalised as configured and one-hot encoded", "[data]") {
  auto images = idx_bytes({2, 1, 2}, 4);
  images[images.size() - 4] = 0;
  images[images.size() - 3] = 255;
  images[images.size() - 2] = 51;
  images[images.size() - 1] = 102;
  auto labels = idx_bytes({2}, 2);
  labels[labels.size() - 2] = 3;
  labels[labels.size() - 1] = 1;
  const ImageSet set = load_image_set_from_idx_bytes(images, labels, "tiny");
  const int order[] = {1, 0};
  Tensor x, y;
  fill_batch(set, order, 2, Normalization{"scale"}, x, y);
  CHECK(x.shape() == Shape{2, 1, 1, 2});
  CHECK(x[0] == Approx(0.2f));
  CHECK(x[3] == Approx(1.0f));
  CHECK(y[1] == 1.0f);       // sample 0 of the batch is image 1, label 1
  CHECK(y[10 + 3] == 1.0f);  // sample 1 is image 0, label 3
  CHECK(y.vector().sum() == 2.0f);

  fill_batch(set, order, 2, Normalization{"none"}, x, y);
  CHECK(x[3] == 255.0f);

  const Normalization standard = fit_normalization(set, {0, 1}, "standardize");
  fill_batch(set, order, 2, standard, x, y);
  CHECK(x.vector().mean() == Approx(0.0f).margin(1e-6));
  CHECK((x.vector().array() - x.vector().mean()).square().mean() == Approx(1.0f).epsilon(1e-4));
  CHECK_THROWS_WITH(fit_normalization(set, {0}, "minmax"), Catch::Contains("minmax"));
}
