#include "data/augmentation.hpp"

#include "core/thread_pool.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace profundo {

namespace {

using Block = Eigen::Array<float, 8, 1>;  // one AVX register, two in WebAssembly SIMD

constexpr double kPi = 3.141592653589793238462643383279502884;

[[noreturn]] void reject(const char* field, float value, const char* requirement) {
  std::ostringstream message;
  message << "augmentation: " << field << " must be " << requirement << ", got " << value;
  throw std::invalid_argument(message.str());
}

}  // namespace

bool AugmentConfig::enabled() const {
  return max_shift > 0 || max_rotation > 0 || max_zoom > 0 || elastic_alpha > 0;
}

const Settings<AugmentConfig>& augment_settings() {
  using C = AugmentConfig;
  static const Settings<C> table = in_group<C>("augmentation", {
      field("max_shift", &C::max_shift).at_least(0).unit("px").url({"shift"}).cli("shift").label("data.shift"),
      field("max_rotation", &C::max_rotation).at_least(0).at_most(180).unit("degrees").url({"rotation"}).cli("rotation").label("data.rotation"),
      field("max_zoom", &C::max_zoom).at_least(0).below(1).url({"zoom"}).cli("zoom").label("data.zoom"),  // scale 1 ± max_zoom
      field("elastic_alpha", &C::elastic_alpha).at_least(0).url({"elastic", "elasticAlpha"}).cli("elastic").label("data.elasticAlpha"),
      field("elastic_sigma", &C::elastic_sigma).above(0).unit("px").url({"sigma", "elasticSigma"}).cli("elastic-sigma").label("data.elasticSigma"),
  });
  return table;
}

void validate(const AugmentConfig& config) { validate_settings(augment_settings(), config, "augmentation"); }

PixelNormalization pixel_normalization(const Normalization& normalization) {
  // Mirrors fill_batch (image_set.cpp) expression for expression, so that results agree bit for bit.
  PixelNormalization pixel;
  if (normalization.kind == "scale") pixel.scale = 1.0f / 255.0f;
  if (normalization.kind == "standardize") {
    pixel.scale = 1.0f / (255.0f * normalization.stddev);
    pixel.shift = -normalization.mean / normalization.stddev;
  }
  return pixel;
}

Augmenter::Augmenter(const AugmentConfig& config) : config_(config) {
  validate(config_);
  // Truncated at 3 sigma (the tail beyond holds 0.3% of the weight) and normalised to sum 1.
  const double sigma = config_.elastic_sigma;
  radius_ = std::max(1, static_cast<int>(std::ceil(3.0 * sigma)));
  std::vector<double> taps(static_cast<std::size_t>(2 * radius_ + 1));
  double sum = 0.0;
  for (int k = -radius_; k <= radius_; ++k) {
    taps[static_cast<std::size_t>(k + radius_)] = std::exp(-0.5 * k * k / (sigma * sigma));
    sum += taps[static_cast<std::size_t>(k + radius_)];
  }
  kernel_.resize(taps.size());
  for (std::size_t i = 0; i < taps.size(); ++i) kernel_[i] = static_cast<float>(taps[i] / sum);
}

Transform Augmenter::sample_transform(Random& rng) const {
  Transform transform;
  transform.rotation = rng.uniform(-config_.max_rotation, config_.max_rotation);
  transform.zoom = 1.0f + rng.uniform(-config_.max_zoom, config_.max_zoom);
  transform.shift_x = rng.uniform(-config_.max_shift, config_.max_shift);
  transform.shift_y = rng.uniform(-config_.max_shift, config_.max_shift);
  return transform;
}

void Augmenter::draw_elastic_field(int height, int width, Random& rng) {
  // Both passes of the separable Gaussian are row-wise axpys over whole rows holding both fields,
  // which vectorise well. The noise is i.i.d., so it is drawn directly in the layout that suits the
  // first pass: noise_ [W, 2, H] (x-major). Pass 1 smooths along x into smoothed_ [W, 2, H];
  // a transpose gives noise_ [H, 2, W]; pass 2 smooths along y and scales by alpha.
  const int row_along_y = 2 * height, row_along_x = 2 * width;
  const std::size_t plane = static_cast<std::size_t>(height) * width;
  noise_.resize(2 * plane);
  smoothed_.resize(2 * plane);
  displacement_x_.resize(plane);
  displacement_y_.resize(plane);
  // Uniform in (-1, 1) with 16 random bits each, two per draw (the exact values 2k/65536 - 1 + 1/65536
  // are representable in float, so no rounding can differ between platforms); memory order of [W, 2, H].
  constexpr float kStep = 1.0f / 32768.0f, kOffset = 1.0f - 1.0f / 65536.0f;
  std::size_t i = 0;
  for (; i + 1 < noise_.size(); i += 2) {
    const std::uint32_t bits = rng.next_u32();
    noise_[i] = static_cast<float>(bits & 0xFFFFu) * kStep - kOffset;
    noise_[i + 1] = static_cast<float>(bits >> 16) * kStep - kOffset;
  }
  if (i < noise_.size()) noise_[i] = static_cast<float>(rng.next_u32() >> 16) * kStep - kOffset;

  // out row r = sum over k of kernel[k] * in row r + k (rows outside count as zero), accumulated in
  // blocks of 8 columns so that the sums stay in registers across the taps.
  const auto smooth_rows = [&](const float* in, float* out, int rows, int row_size) {
    for (int r = 0; r < rows; ++r) {
      const int k_begin = std::max(-radius_, -r), k_end = std::min(radius_, rows - 1 - r);
      const float* taps = kernel_.data() + radius_;
      float* out_row = out + static_cast<std::size_t>(r) * row_size;
      int x0 = 0;
      for (; x0 + 8 <= row_size; x0 += 8) {
        Block sums = Block::Zero();
        for (int k = k_begin; k <= k_end; ++k)
          sums += taps[k] * Eigen::Map<const Block>(in + static_cast<std::size_t>(r + k) * row_size + x0);
        Eigen::Map<Block>(out_row + x0) = sums;
      }
      for (; x0 < row_size; ++x0) {
        float sum = 0;
        for (int k = k_begin; k <= k_end; ++k) sum += taps[k] * in[static_cast<std::size_t>(r + k) * row_size + x0];
        out_row[x0] = sum;
      }
    }
  };
  smooth_rows(noise_.data(), smoothed_.data(), width, row_along_y);  // along x
  for (int x = 0; x < width; ++x)                                     // [W, 2, H] -> [H, 2, W]
    for (int f = 0; f < 2; ++f)
      for (int y = 0; y < height; ++y)
        noise_[(static_cast<std::size_t>(y) * 2 + f) * width + x] =
            smoothed_[(static_cast<std::size_t>(x) * 2 + f) * height + y];
  smooth_rows(noise_.data(), smoothed_.data(), height, row_along_x);  // along y
  const float alpha = config_.elastic_alpha;
  for (int y = 0; y < height; ++y) {
    const float* row = smoothed_.data() + static_cast<std::size_t>(y) * row_along_x;
    float* dx = displacement_x_.data() + static_cast<std::size_t>(y) * width;
    float* dy = displacement_y_.data() + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) dx[x] = alpha * row[x], dy[x] = alpha * row[width + x];
  }
}

void Augmenter::apply(const std::uint8_t* image, int channels, int height, int width, Random& rng, float scale,
                      float shift, float* out) {
  if (!config_.enabled()) {
    const std::size_t count = static_cast<std::size_t>(channels) * height * width;
    for (std::size_t j = 0; j < count; ++j) out[j] = static_cast<float>(image[j]) * scale + shift;
    return;
  }
  const Transform transform = sample_transform(rng);
  apply_with(transform, image, channels, height, width, rng, scale, shift, out);
}

void Augmenter::apply_with(const Transform& transform, const std::uint8_t* image, int channels, int height,
                           int width, Random& rng, float scale, float shift, float* out) {
  if (!(transform.zoom > 0) || !std::isfinite(transform.zoom)) reject("Transform zoom", transform.zoom, "> 0");
  const bool elastic = config_.elastic_alpha > 0;
  if (elastic) draw_elastic_field(height, width, rng);

  // Inverse mapping q = c + R(-θ)(p - c - t) / zoom, written as q = origin + p.x * step_x + p.y * step_y.
  const double theta = static_cast<double>(transform.rotation) * kPi / 180.0;
  const double inverse_zoom = 1.0 / static_cast<double>(transform.zoom);
  const double cos_t = std::cos(theta) * inverse_zoom, sin_t = std::sin(theta) * inverse_zoom;
  const double cx = 0.5 * (width - 1), cy = 0.5 * (height - 1);
  // Content rotated counter-clockwise as displayed (y down): the forward map sends (dx, dy) to
  // zoom * (dx cosθ + dy sinθ, −dx sinθ + dy cosθ); its inverse is (vx cosθ − vy sinθ, vx sinθ + vy cosθ) / zoom.
  const float step_xx = static_cast<float>(cos_t), step_xy = static_cast<float>(sin_t);   // dq/dp.x
  const float step_yx = static_cast<float>(-sin_t), step_yy = static_cast<float>(cos_t);  // dq/dp.y
  const double ox = -cx - transform.shift_x, oy = -cy - transform.shift_y;                // p - c - t at p = 0
  const float origin_x = static_cast<float>(cx + cos_t * ox - sin_t * oy);
  const float origin_y = static_cast<float>(cy + sin_t * ox + cos_t * oy);

  // Sampling coordinates, shared by the channels, shifted by +1 into the padded image.
  const std::size_t plane = static_cast<std::size_t>(height) * width;
  coordinates_.resize(2 * plane);
  float* const coordinate_x = coordinates_.data();
  float* const coordinate_y = coordinates_.data() + plane;
  for (int y = 0; y < height; ++y) {
    const float row_x = origin_x + 1.0f + static_cast<float>(y) * step_yx;
    const float row_y = origin_y + 1.0f + static_cast<float>(y) * step_yy;
    float* cx_row = coordinate_x + static_cast<std::size_t>(y) * width;
    float* cy_row = coordinate_y + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      cx_row[x] = row_x + static_cast<float>(x) * step_xx;
      cy_row[x] = row_y + static_cast<float>(x) * step_xy;
    }
    if (elastic) {
      const float* dx = displacement_x_.data() + static_cast<std::size_t>(y) * width;
      const float* dy = displacement_y_.data() + static_cast<std::size_t>(y) * width;
      for (int x = 0; x < width; ++x) cx_row[x] += dx[x], cy_row[x] += dy[x];
    }
  }

  // Bilinear interpolation in the image padded with a 1-pixel zero border: a coordinate u in
  // (0, size + 1) has both neighbours inside the padded image; any other is sent to u = 0, where
  // the weights pick the zero border alone, so pixels from outside the image are 0 without branches.
  const int padded_width = width + 2;
  padded_.resize(static_cast<std::size_t>(height + 2) * padded_width);
  std::fill(padded_.begin(), padded_.begin() + padded_width, 0.0f);
  std::fill(padded_.end() - padded_width, padded_.end(), 0.0f);
  const float limit_x = static_cast<float>(width + 1), limit_y = static_cast<float>(height + 1);
  for (int c = 0; c < channels; ++c) {
    const std::uint8_t* source = image + c * plane;
    float* target = out + c * plane;
    for (int y = 0; y < height; ++y) {
      float* padded_row = padded_.data() + static_cast<std::size_t>(y + 1) * padded_width;
      const std::uint8_t* source_row = source + static_cast<std::size_t>(y) * width;
      padded_row[0] = padded_row[width + 1] = 0.0f;
      for (int x = 0; x < width; ++x) padded_row[x + 1] = static_cast<float>(source_row[x]);
    }
    const float* padded = padded_.data();
    for (std::size_t i = 0; i < plane; ++i) {
      float u = coordinate_x[i], v = coordinate_y[i];
      const bool inside = u > 0.0f && u < limit_x && v > 0.0f && v < limit_y;
      u = inside ? u : 0.0f;
      v = inside ? v : 0.0f;
      const int column = static_cast<int>(u), row = static_cast<int>(v);  // floor, as u, v >= 0
      const float ax = u - static_cast<float>(column), ay = v - static_cast<float>(row);
      const float* p = padded + static_cast<std::size_t>(row) * padded_width + column;
      const float upper = p[0] + ax * (p[1] - p[0]);
      const float lower = p[padded_width] + ax * (p[padded_width + 1] - p[padded_width]);
      target[i] = (upper + ay * (lower - upper)) * scale + shift;
    }
  }
}

void augment_image(const std::uint8_t* image, int height, int width, const AugmentConfig& config, Random& rng,
                   float scale, float shift, float* out) {
  Augmenter augmenter(config);
  augmenter.apply(image, 1, height, width, rng, scale, shift, out);
}

void fill_augmented_batch(const ImageSet& images, const int* indices, int n, const Normalization& normalization,
                          Augmenter& augmenter, Random& rng, Tensor& x, Tensor& one_hot, ThreadPool* pool) {
  if (!augmenter.config().enabled()) {  // plain conversion, no draws
    fill_batch(images, indices, n, normalization, x, one_hot);
    return;
  }
  const std::size_t per_image = images.pixels_per_image();
  x.resize({n, images.channels, images.height, images.width});
  one_hot.resize({n, images.classes});
  one_hot.set_zero();
  const PixelNormalization pixel = pixel_normalization(normalization);
  // Seeds first, in image order: the images then do not depend on how they are spread over threads.
  augmenter.image_seeds_.resize(static_cast<std::size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) {
    const std::uint64_t high = rng.next_u32();
    augmenter.image_seeds_[static_cast<std::size_t>(i)] = (high << 32) | rng.next_u32();
    one_hot[static_cast<std::size_t>(i) * images.classes + images.labels[static_cast<std::size_t>(indices[i])]] = 1.0f;
  }
  const auto augment_range = [&](Augmenter& worker, int begin, int end) {
    for (int i = begin; i < end; ++i) {
      Random image_rng(augmenter.image_seeds_[static_cast<std::size_t>(i)], RandomStream::augmentation);
      const std::size_t index = static_cast<std::size_t>(indices[i]);
      worker.apply(images.pixels.data() + per_image * index, images.channels, images.height, images.width, image_rng,
                   pixel.scale, pixel.shift, x.data() + per_image * static_cast<std::size_t>(i));
    }
  };
  const int chunks = pool ? std::min(pool->threads(), n) : 1;
  if (chunks <= 1) {
    augment_range(augmenter, 0, n);
    return;
  }
  while (static_cast<int>(augmenter.workers_.size()) < chunks - 1) augmenter.workers_.emplace_back(augmenter.config_);
  pool->parallel_for(chunks, [&](int chunk) {
    Augmenter& worker = chunk == 0 ? augmenter : augmenter.workers_[static_cast<std::size_t>(chunk - 1)];
    augment_range(worker, static_cast<int>(static_cast<long long>(n) * chunk / chunks),
                  static_cast<int>(static_cast<long long>(n) * (chunk + 1) / chunks));
  });
}

}  // namespace profundo
