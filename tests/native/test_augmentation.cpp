#include "core/thread_pool.hpp"
#include "data/augmentation.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace profundo;

namespace {

constexpr int kSize = 28;

// A digit-like "7": a thick top bar and a diagonal stroke, 255 inside, soft 128 edges. Asymmetric
// under every rotation and reflection.
std::vector<std::uint8_t> seven() {
  std::vector<std::uint8_t> image(kSize * kSize, 0);
  const auto put = [&](int y, int x, std::uint8_t value) {
    if (y >= 0 && y < kSize && x >= 0 && x < kSize) image[y * kSize + x] = std::max(image[y * kSize + x], value);
  };
  for (int x = 7; x <= 20; ++x)
    for (int y = 6; y <= 8; ++y) put(y, x, 255);
  for (int y = 9; y <= 22; ++y) {
    const int x = 20 - (y - 9) / 2;
    put(y, x, 255), put(y, x - 1, 255), put(y, x + 1, 128), put(y, x - 2, 128);
  }
  return image;
}

// A smooth Gaussian blob centred at (cy, cx).
std::vector<std::uint8_t> blob(double cy, double cx, double sigma = 2.5) {
  std::vector<std::uint8_t> image(kSize * kSize);
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const double r2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
      image[y * kSize + x] = static_cast<std::uint8_t>(std::lround(255.0 * std::exp(-0.5 * r2 / (sigma * sigma))));
    }
  return image;
}

// Pixels as floats (scale 1, shift 0).
std::vector<float> transformed(const std::vector<std::uint8_t>& image, const Transform& transform,
                               const AugmentConfig& config = {}) {
  Augmenter augmenter(config);
  Random rng(1, RandomStream::augmentation);
  std::vector<float> out(image.size());
  augmenter.apply_with(transform, image.data(), 1, kSize, kSize, rng, 1.0f, 0.0f, out.data());
  return out;
}

struct Moments {
  double ink = 0, x = 0, y = 0;
};
template <typename T>
Moments moments(const std::vector<T>& image) {
  Moments m;
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const double v = image[y * kSize + x];
      m.ink += v, m.x += v * x, m.y += v * y;
    }
  m.x /= m.ink, m.y /= m.ink;
  return m;
}

struct Box {
  int top = kSize, left = kSize, bottom = -1, right = -1;
  int height() const { return bottom - top + 1; }
  int width() const { return right - left + 1; }
};
Box bounding_box(const std::vector<float>& image, float threshold) {
  Box box;
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x)
      if (image[y * kSize + x] > threshold) {
        box.top = std::min(box.top, y), box.bottom = std::max(box.bottom, y);
        box.left = std::min(box.left, x), box.right = std::max(box.right, x);
      }
  return box;
}

// Eight images (sevens and blobs) with labels 0..7.
ImageSet small_set() {
  ImageSet set;
  set.name = "augment-test";
  set.count = 8;
  set.height = set.width = kSize;
  for (int i = 0; i < set.count; ++i) {
    const auto image = i % 2 ? seven() : blob(10.0 + i, 16.0 - i);
    set.pixels.insert(set.pixels.end(), image.begin(), image.end());
    set.labels.push_back(static_cast<std::uint8_t>(i));
  }
  return set;
}

AugmentConfig everything() {
  AugmentConfig config;
  config.max_shift = 2;
  config.max_rotation = 15;
  config.max_zoom = 0.1f;
  config.elastic_alpha = 34;
  config.elastic_sigma = 4;
  return config;
}

}  // namespace

TEST_CASE("augmentation with every strength 0 gives exactly fill_batch", "[augment]") {
  const ImageSet set = small_set();
  const int order[] = {3, 0, 7, 7, 2};
  const std::vector<int> all = {0, 1, 2, 3, 4, 5, 6, 7};
  for (const Normalization& normalization :
       {Normalization{"none"}, Normalization{"scale"}, fit_normalization(set, all, "standardize")}) {
    Tensor expected_x, expected_y, x, y;
    fill_batch(set, order, 5, normalization, expected_x, expected_y);
    Augmenter augmenter(AugmentConfig{});
    CHECK_FALSE(augmenter.config().enabled());
    Random rng(5, RandomStream::augmentation);
    fill_augmented_batch(set, order, 5, normalization, augmenter, rng, x, y);
    CHECK(x.shape() == expected_x.shape());
    CHECK(y.shape() == expected_y.shape());
    CHECK(std::equal(x.data(), x.data() + x.size(), expected_x.data()));
    CHECK(std::equal(y.data(), y.data() + y.size(), expected_y.data()));
  }
}

TEST_CASE("an identity transform reproduces the image exactly", "[augment]") {
  AugmentConfig config;
  config.max_rotation = 10;  // enabled, but the transform is given
  const auto image = seven();
  const auto out = transformed(image, Transform{}, config);
  CHECK(std::equal(out.begin(), out.end(), image.begin(), [](float a, std::uint8_t b) { return a == b; }));
}

TEST_CASE("the same seed gives the same augmented batch and another seed a different one", "[augment]") {
  const ImageSet set = small_set();
  const int order[] = {0, 1, 2, 3, 4, 5, 6, 7};
  Augmenter augmenter(everything());
  const auto batch = [&](std::uint64_t seed) {
    Random rng(seed, RandomStream::augmentation);
    Tensor x, y;
    fill_augmented_batch(set, order, 8, Normalization{"scale"}, augmenter, rng, x, y);
    return std::vector<float>(x.data(), x.data() + x.size());
  };
  const auto first = batch(42);
  CHECK(batch(42) == first);  // also checks that reused scratch buffers carry no state over
  CHECK(batch(43) != first);

  Tensor plain_x, plain_y;
  fill_batch(set, order, 8, Normalization{"scale"}, plain_x, plain_y);
  CHECK(std::vector<float>(plain_x.data(), plain_x.data() + plain_x.size()) != first);

  SECTION("the single-image helper draws like Augmenter::apply") {
    const auto image = seven();
    std::vector<float> a(image.size()), b(image.size());
    Random rng_a(9), rng_b(9);
    augment_image(image.data(), kSize, kSize, everything(), rng_a, 1.0f / 255, 0.0f, a.data());
    augmenter.apply(image.data(), 1, kSize, kSize, rng_b, 1.0f / 255, 0.0f, b.data());
    CHECK(a == b);
    CHECK(rng_a.next_u32() == rng_b.next_u32());
  }
}

TEST_CASE("a thread pool gives the same batch as one thread", "[augment][threads]") {
  const ImageSet set = small_set();
  std::vector<int> order(64);
  for (int i = 0; i < 64; ++i) order[i] = (i * 5) % set.count;
  Augmenter augmenter(everything());
  Tensor serial_x, serial_y, parallel_x, parallel_y;
  Random serial_rng(7, RandomStream::augmentation), parallel_rng(7, RandomStream::augmentation);
  fill_augmented_batch(set, order.data(), 64, Normalization{"scale"}, augmenter, serial_rng, serial_x, serial_y);
  ThreadPool pool(ThreadPool::threads_supported() ? 3 : 1);
  for (int repeat = 0; repeat < 2; ++repeat) {
    Random rng(7, RandomStream::augmentation);
    fill_augmented_batch(set, order.data(), 64, Normalization{"scale"}, augmenter, rng, parallel_x, parallel_y, &pool);
    CHECK(std::equal(parallel_x.data(), parallel_x.data() + parallel_x.size(), serial_x.data()));
    CHECK(std::equal(parallel_y.data(), parallel_y.data() + parallel_y.size(), serial_y.data()));
    CHECK(rng.next_u32() == Random(serial_rng).next_u32());  // the batch rng advanced alike
  }
}

TEST_CASE("a shift of 2 px moves the centre of mass by 2 px", "[augment]") {
  const auto image = blob(13.0, 12.0);
  const Moments before = moments(image);
  Transform right;
  right.shift_x = 2;
  const Moments after_right = moments(transformed(image, right));
  CHECK(after_right.x - before.x == Approx(2.0).margin(0.02));
  CHECK(after_right.y - before.y == Approx(0.0).margin(0.02));
  CHECK(after_right.ink == Approx(before.ink).epsilon(0.01));

  Transform up;
  up.shift_y = -2;
  const Moments after_up = moments(transformed(image, up));
  CHECK(after_up.y - before.y == Approx(-2.0).margin(0.02));
  CHECK(after_up.x - before.x == Approx(0.0).margin(0.02));

  Transform half;  // sub-pixel shifts interpolate
  half.shift_x = 0.5f;
  CHECK(moments(transformed(image, half)).x - before.x == Approx(0.5).margin(0.02));
}

TEST_CASE("rotations turn the image counter-clockwise about its centre", "[augment]") {
  const auto image = seven();
  const auto at = [&](int y, int x) { return static_cast<float>(image[y * kSize + x]); };
  Transform quarter;
  quarter.rotation = 90;
  const auto turned = transformed(image, quarter);
  // Counter-clockwise as displayed: the top row becomes the left column, read bottom-up,
  // i.e. out(y, x) = in(x, W - 1 - y). The top bar (rows 6-8) ends up as columns 6-8.
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      INFO("y " << y << " x " << x);
      REQUIRE(turned[y * kSize + x] == Approx(at(x, kSize - 1 - y)).margin(0.01));
    }
  CHECK(turned[(kSize - 1 - 7) * kSize + 7] == Approx(255.0f).margin(0.01));

  Transform half_turn;
  half_turn.rotation = -180;
  const auto upside_down = transformed(image, half_turn);
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x)
      REQUIRE(upside_down[y * kSize + x] == Approx(at(kSize - 1 - y, kSize - 1 - x)).margin(0.01));

  Transform small;  // a small rotation keeps the blob's centre of mass near the image centre and the ink
  small.rotation = 20;
  const auto centred = blob(13.5, 13.5);
  const Moments before = moments(centred), after = moments(transformed(centred, small));
  CHECK(after.x == Approx(before.x).margin(0.01));
  CHECK(after.y == Approx(before.y).margin(0.01));
  CHECK(after.ink == Approx(before.ink).epsilon(0.01));
}

TEST_CASE("zoom above 1 enlarges the digit and below 1 shrinks it", "[augment]") {
  const auto image = seven();
  const auto original = transformed(image, Transform{});
  Transform larger, smaller;
  larger.zoom = 1.3f;
  smaller.zoom = 0.7f;
  const Box base = bounding_box(original, 127.0f);
  const Box enlarged = bounding_box(transformed(image, larger), 127.0f);
  const Box shrunk = bounding_box(transformed(image, smaller), 127.0f);
  CHECK(enlarged.width() > base.width() + 2);
  CHECK(enlarged.height() > base.height() + 2);
  CHECK(shrunk.width() < base.width() - 2);
  CHECK(shrunk.height() < base.height() - 2);
  // Ink scales with the area.
  CHECK(moments(transformed(image, larger)).ink / moments(image).ink == Approx(1.3 * 1.3).epsilon(0.1));
}

TEST_CASE("elastic distortion moves pixels but keeps the ink", "[augment]") {
  AugmentConfig config;
  config.elastic_alpha = 34;
  config.elastic_sigma = 4;
  Augmenter augmenter(config);
  const std::vector<float>& kernel = augmenter.gaussian_kernel();
  CHECK(kernel.size() == 25);  // radius 3 sigma
  CHECK(std::accumulate(kernel.begin(), kernel.end(), 0.0) == Approx(1.0).epsilon(1e-6));

  const auto image = seven();
  const double ink = moments(image).ink;
  Random rng(3, RandomStream::augmentation);
  std::vector<float> out(image.size());
  double squared_displacement = 0, ink_ratio_sum = 0;
  int distorted_images = 0;
  for (int trial = 0; trial < 40; ++trial) {
    augmenter.apply(image.data(), 1, kSize, kSize, rng, 1.0f, 0.0f, out.data());
    // A smooth random field compresses some strokes and stretches others (the local area change
    // is about +-20% at Simard's setting), but on average it neither adds nor removes ink.
    const double ratio = moments(out).ink / ink;
    CHECK(ratio > 0.4);
    CHECK(ratio < 1.8);
    ink_ratio_sum += ratio;
    int changed = 0;
    for (std::size_t i = 0; i < out.size(); ++i) changed += std::abs(out[i] - image[i]) > 10.0f;
    distorted_images += changed > 20;
    for (std::size_t i = 0; i < out.size(); ++i)
      squared_displacement += augmenter.displacement_x()[i] * augmenter.displacement_x()[i] +
                              augmenter.displacement_y()[i] * augmenter.displacement_y()[i];
  }
  CHECK(ink_ratio_sum / 40 == Approx(1.0).margin(0.06));
  CHECK(distorted_images == 40);
  // alpha = 34, sigma = 4 (Simard et al.): about 1.8 px RMS (1.3 per axis), far from 0 and from alpha.
  const double rms = std::sqrt(squared_displacement / (40.0 * kSize * kSize));
  CHECK(rms > 0.7);
  CHECK(rms < 3.0);

  SECTION("a smoother field (larger sigma) displaces less for the same alpha") {
    config.elastic_sigma = 8;
    Augmenter smooth(config);
    Random rng_smooth(3, RandomStream::augmentation);
    smooth.apply(image.data(), 1, kSize, kSize, rng_smooth, 1.0f, 0.0f, out.data());
    double smooth_squared = 0;
    for (std::size_t i = 0; i < out.size(); ++i)
      smooth_squared += smooth.displacement_x()[i] * smooth.displacement_x()[i] +
                        smooth.displacement_y()[i] * smooth.displacement_y()[i];
    CHECK(std::sqrt(smooth_squared / (kSize * kSize)) < rms);
  }
  SECTION("a gentle field keeps the ink of every image within 15%") {
    config.elastic_alpha = 8;
    Augmenter gentle(config);
    for (int trial = 0; trial < 20; ++trial) {
      gentle.apply(image.data(), 1, kSize, kSize, rng, 1.0f, 0.0f, out.data());
      CHECK(moments(out).ink == Approx(ink).epsilon(0.15));
    }
  }
}

TEST_CASE("augmentation agrees with a naive reference of the same formula", "[augment]") {
  // Plain loops in double: a direct 2-D convolution of the noise with the truncated Gaussian and
  // bilinear sampling with explicit bounds checks. The noise is replayed from a copy of the Random:
  // four draws for the transform, then 16-bit uniforms two per draw in the order [W, 2, H].
  AugmentConfig config = everything();
  config.elastic_sigma = 3;
  Augmenter augmenter(config);
  const std::vector<float>& kernel = augmenter.gaussian_kernel();
  const int radius = static_cast<int>(kernel.size() / 2);
  const auto image = seven();
  Random rng(17, RandomStream::augmentation);
  for (int trial = 0; trial < 3; ++trial) {
    Random replay = rng;
    std::vector<float> out(image.size());
    augmenter.apply(image.data(), 1, kSize, kSize, rng, 1.0f, 0.0f, out.data());

    const Transform t = augmenter.sample_transform(replay);
    std::vector<double> noise(2 * kSize * kSize);  // [W, 2, H]
    for (std::size_t i = 0; i < noise.size(); i += 2) {
      const std::uint32_t bits = replay.next_u32();
      noise[i] = (bits & 0xFFFF) / 32768.0 - (1.0 - 1.0 / 65536);
      noise[i + 1] = (bits >> 16) / 32768.0 - (1.0 - 1.0 / 65536);
    }
    const auto u = [&](int f, int y, int x) { return noise[(x * 2 + f) * kSize + y]; };
    double worst_field = 0, worst_pixel = 0;
    const double theta = t.rotation * 3.14159265358979323846 / 180.0, c = 13.5;
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x) {
        double d[2] = {0, 0};
        for (int f = 0; f < 2; ++f)
          for (int ky = -radius; ky <= radius; ++ky)
            for (int kx = -radius; kx <= radius; ++kx)
              if (y + ky >= 0 && y + ky < kSize && x + kx >= 0 && x + kx < kSize)
                d[f] += config.elastic_alpha * kernel[ky + radius] * kernel[kx + radius] * u(f, y + ky, x + kx);
        worst_field = std::max({worst_field, std::abs(d[0] - augmenter.displacement_x()[y * kSize + x]),
                                std::abs(d[1] - augmenter.displacement_y()[y * kSize + x])});
        const double vx = x - c - t.shift_x, vy = y - c - t.shift_y;
        const double qx = c + (vx * std::cos(theta) - vy * std::sin(theta)) / t.zoom + d[0];
        const double qy = c + (vx * std::sin(theta) + vy * std::cos(theta)) / t.zoom + d[1];
        const int x0 = static_cast<int>(std::floor(qx)), y0 = static_cast<int>(std::floor(qy));
        const auto pixel = [&](int py, int px) {
          return py >= 0 && py < kSize && px >= 0 && px < kSize ? static_cast<double>(image[py * kSize + px]) : 0.0;
        };
        const double ax = qx - x0, ay = qy - y0;
        const double expected = (1 - ay) * ((1 - ax) * pixel(y0, x0) + ax * pixel(y0, x0 + 1)) +
                                ay * ((1 - ax) * pixel(y0 + 1, x0) + ax * pixel(y0 + 1, x0 + 1));
        worst_pixel = std::max(worst_pixel, std::abs(expected - out[y * kSize + x]));
      }
    CHECK(worst_field < 1e-5);
    CHECK(worst_pixel < 0.005);  // of 255: float vs double sampling positions
    CHECK(replay.next_u32() == Random(rng).next_u32());  // the same number of draws
  }
}

TEST_CASE("sampled transforms stay within the configured ranges", "[augment]") {
  AugmentConfig config;
  config.max_shift = 3;
  config.max_rotation = 20;
  config.max_zoom = 0.15f;
  Augmenter augmenter(config);
  Random rng(11, RandomStream::augmentation);
  float min_rotation = 0, max_rotation = 0, min_zoom = 1, max_zoom = 1, max_shift = 0;
  for (int i = 0; i < 2000; ++i) {
    const Transform t = augmenter.sample_transform(rng);
    min_rotation = std::min(min_rotation, t.rotation), max_rotation = std::max(max_rotation, t.rotation);
    min_zoom = std::min(min_zoom, t.zoom), max_zoom = std::max(max_zoom, t.zoom);
    max_shift = std::max({max_shift, std::abs(t.shift_x), std::abs(t.shift_y)});
  }
  CHECK(min_rotation >= -20);
  CHECK(min_rotation < -19);
  CHECK(max_rotation <= 20);
  CHECK(max_rotation > 19);
  CHECK(min_zoom >= 0.85f);
  CHECK(min_zoom < 0.86f);
  CHECK(max_zoom <= 1.15f);
  CHECK(max_zoom > 1.14f);
  CHECK(max_shift <= 3);
  CHECK(max_shift > 2.9f);
}

TEST_CASE("augmented pixels stay within the normalised pixel range", "[augment]") {
  const ImageSet set = small_set();
  const std::vector<int> all = {0, 1, 2, 3, 4, 5, 6, 7};
  AugmentConfig config = everything();
  config.max_shift = 4;
  config.max_rotation = 45;
  config.max_zoom = 0.3f;
  config.elastic_alpha = 60;
  Augmenter augmenter(config);
  for (const Normalization& normalization :
       {Normalization{"none"}, Normalization{"scale"}, fit_normalization(set, all, "standardize")}) {
    const PixelNormalization pixel = pixel_normalization(normalization);
    const float low = 0.0f * pixel.scale + pixel.shift, high = 255.0f * pixel.scale + pixel.shift;
    const float slack = 1e-4f * (high - low);
    Random rng(21, RandomStream::augmentation);
    for (int repeat = 0; repeat < 10; ++repeat) {
      Tensor x, y;
      fill_augmented_batch(set, all.data(), 8, normalization, augmenter, rng, x, y);
      CHECK(x.vector().minCoeff() >= low - slack);
      CHECK(x.vector().maxCoeff() <= high + slack);
      CHECK(y.vector().sum() == 8.0f);
    }
  }
}

TEST_CASE("invalid augmentation settings are rejected naming the field and value", "[augment][validation]") {
  const auto with = [](auto change) {
    AugmentConfig config;
    change(config);
    return config;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK_NOTHROW(validate(everything()));
  CHECK_NOTHROW(validate(with([](AugmentConfig& c) { c.max_rotation = 180; })));
  CHECK_THROWS_WITH(validate(with([](AugmentConfig& c) { c.max_shift = -1; })),
                    Catch::Contains("max_shift") && Catch::Contains("-1"));
  CHECK_THROWS_WITH(validate(with([&](AugmentConfig& c) { c.max_shift = nan; })),
                    Catch::Contains("max_shift") && Catch::Contains("nan"));
  CHECK_THROWS_WITH(validate(with([](AugmentConfig& c) { c.max_rotation = 200; })),
                    Catch::Contains("max_rotation") && Catch::Contains("200"));
  CHECK_THROWS_WITH(validate(with([](AugmentConfig& c) { c.max_rotation = -5; })), Catch::Contains("max_rotation"));
  CHECK_THROWS_WITH(validate(with([](AugmentConfig& c) { c.max_zoom = 1; })),
                    Catch::Contains("max_zoom") && Catch::Contains("1"));
  CHECK_THROWS_WITH(validate(with([](AugmentConfig& c) { c.max_zoom = -0.1f; })), Catch::Contains("max_zoom"));
  CHECK_THROWS_WITH(validate(with([](AugmentConfig& c) { c.elastic_alpha = -3; })),
                    Catch::Contains("elastic_alpha") && Catch::Contains("-3"));
  CHECK_THROWS_WITH(validate(with([](AugmentConfig& c) { c.elastic_sigma = 0; })),
                    Catch::Contains("elastic_sigma") && Catch::Contains("0"));
  CHECK_THROWS_WITH(validate(with([&](AugmentConfig& c) { c.elastic_sigma = nan; })),
                    Catch::Contains("elastic_sigma"));
  CHECK_THROWS_WITH(Augmenter(with([](AugmentConfig& c) { c.max_zoom = 2; })), Catch::Contains("max_zoom"));

  Augmenter augmenter(AugmentConfig{});
  Transform flat;
  flat.zoom = 0;
  std::vector<std::uint8_t> image(4);
  std::vector<float> out(4);
  Random rng(1);
  CHECK_THROWS_WITH(augmenter.apply_with(flat, image.data(), 1, 2, 2, rng, 1.0f, 0.0f, out.data()),
                    Catch::Contains("zoom"));
}
