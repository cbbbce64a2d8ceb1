// Data augmentation for digit images (MNIST-style): one random affine transform per image
// (rotation about the centre, zoom, shift; no flips: a flipped digit is another symbol or none)
// and optionally an elastic distortion (Simard, Steinkraus & Platt 2003), resampled bilinearly.
//
// image: [C, H, W] uint8 -> out: [C, H, W] float, out = pixel * scale + shift (the same pixel
// normalisation as fill_batch). Every channel of an image gets the same transform and field.
//
// Geometry follows torchvision's conventions: a positive rotation turns the image
// counter-clockwise as displayed (rows grow downwards), zoom > 1 enlarges the content, a positive
// shift_x moves it right and a positive shift_y moves it down; pixels sampled from outside the
// image are 0. The transform is applied as one inverse mapping: output pixel p (pixel centres at
// integer coordinates, c the image centre) takes the input at
//   q = c + R(rotation)^-1 (p - c - shift) / zoom + alpha * (G_sigma * U)(p)
// where U holds independent uniform (-1, 1) displacements per pixel and axis (16-bit resolution)
// and G_sigma * U is U convolved with a Gaussian (truncated at 3 sigma, zero outside the image), as
// in Simard et al. and the common scipy implementation: alpha is Simard's alpha, not a distance.
// For orientation, on 28x28 images sigma = 4 and alpha = 34 (Simard's MNIST setting) displace
// pixels by about 1.3 px RMS per axis; a larger sigma gives smoother and smaller displacements.
//
// Determinism: all randomness comes from the caller's Random (PCG32, no <random> distributions),
// drawn in a fixed order, and the arithmetic uses only float/double and std:: functions, so the
// same Random state gives the same transforms and fields natively and in WebAssembly. Pixels agree
// to rounding (FMA contraction in native -march=native builds, libm sin/cos): measured at most
// 4e-6 apart on the [0, 1] scale, 94% bit-identical, for a 64-image elastic batch.
#pragma once

#include "core/random.hpp"
#include "core/tensor.hpp"
#include "data/image_set.hpp"
#include "settings/settings.hpp"

#include <cstdint>
#include <vector>

namespace profundo {

class ThreadPool;

struct AugmentConfig {
  float max_shift = 0;      // pixels, uniform in [-max_shift, max_shift] per axis
  float max_rotation = 0;   // degrees, uniform in [-max_rotation, max_rotation]
  float max_zoom = 0;       // fraction, scale uniform in [1 - max_zoom, 1 + max_zoom]
  float elastic_alpha = 0;  // elastic distortion strength, Simard et al.'s alpha (see above); 0 = off
  float elastic_sigma = 4;  // smoothness of the elastic displacement field (Gaussian sigma, pixels)
  bool enabled() const;
};

// Every field's key, range, unit, URL key, CLI option and label.
const Settings<AugmentConfig>& augment_settings();
// Throws SettingError naming the field, the value and its range: negative or non-finite values,
// max_rotation > 180, max_zoom >= 1, elastic_sigma <= 0.
void validate(const AugmentConfig& config);

// One specific affine transform (what Augmenter draws per image; tests and demos set it directly).
struct Transform {
  float shift_x = 0;   // pixels, positive moves the content right
  float shift_y = 0;   // pixels, positive moves the content down
  float rotation = 0;  // degrees, positive is counter-clockwise as displayed
  float zoom = 1;      // scale factor, > 1 enlarges the content
};

// pixel -> network input as fill_batch computes it: x = pixel * scale + shift.
struct PixelNormalization {
  float scale = 1.0f;
  float shift = 0.0f;
};
PixelNormalization pixel_normalization(const Normalization& normalization);

// Holds a validated config, the Gaussian kernel (computed once) and scratch buffers, so that
// augmenting a stream of same-sized images allocates nothing after the first one.
// Not thread-safe: one Augmenter per thread.
class Augmenter {
 public:
  explicit Augmenter(const AugmentConfig& config);  // validates

  const AugmentConfig& config() const { return config_; }
  const std::vector<float>& gaussian_kernel() const { return kernel_; }  // 2 * radius + 1 taps, sum 1

  // Draws a transform from the config: rotation, zoom, shift_x, shift_y (always these four draws,
  // so that changing one strength does not change the others' random values).
  Transform sample_transform(Random& rng) const;

  // Augments one image [channels, height, width]. When !config().enabled() this is the plain
  // conversion (identical to fill_batch) and draws nothing from rng.
  void apply(const std::uint8_t* image, int channels, int height, int width, Random& rng, float scale, float shift,
             float* out);

  // Applies a given transform; the elastic field (drawn from rng) is added when config().elastic_alpha > 0.
  void apply_with(const Transform& transform, const std::uint8_t* image, int channels, int height, int width,
                  Random& rng, float scale, float shift, float* out);

  // The elastic displacement field of the last apply with elastic_alpha > 0: [height, width] each, in pixels.
  const std::vector<float>& displacement_x() const { return displacement_x_; }
  const std::vector<float>& displacement_y() const { return displacement_y_; }

 private:
  friend void fill_augmented_batch(const ImageSet&, const int*, int, const Normalization&, Augmenter&, Random&,
                                   Tensor&, Tensor&, ThreadPool*);
  void draw_elastic_field(int height, int width, Random& rng);

  AugmentConfig config_;
  std::vector<float> kernel_;  // Gaussian taps, index k = offset + radius
  int radius_ = 0;
  // Scratch, resized on first use (no steady-state allocation).
  std::vector<float> coordinates_;  // [2, H, W]: where each output pixel samples (x, then y)
  std::vector<float> padded_;       // one channel as float with a 1-pixel zero border: [H + 2, W + 2]
  std::vector<float> noise_;        // elastic field before / between the smoothing passes
  std::vector<float> smoothed_;
  std::vector<float> displacement_x_, displacement_y_;  // [H, W]
  std::vector<std::uint64_t> image_seeds_;  // fill_augmented_batch: one per image
  std::vector<Augmenter> workers_;          // fill_augmented_batch with a pool: one per extra thread
};

// Single-channel convenience for one-off use (builds an Augmenter, so it allocates); loops should
// keep an Augmenter.
void augment_image(const std::uint8_t* image, int height, int width, const AugmentConfig& config, Random& rng,
                   float scale, float shift, float* out);

// fill_batch with augmentation: x [n, C, H, W] and one-hot [n, classes] for images indices[0..n),
// with the same normalisation and encoding as fill_batch. Each image draws from its own Random
// seeded from `rng` in order (two draws per image), so the result does not depend on `pool` or on
// its thread count. With a pool, one Augmenter per thread is made from augmenter.config() on the
// first call and kept (in the Augmenter passed in), so steady state still allocates nothing.
void fill_augmented_batch(const ImageSet& images, const int* indices, int n, const Normalization& normalization,
                          Augmenter& augmenter, Random& rng, Tensor& x, Tensor& one_hot, ThreadPool* pool = nullptr);

}  // namespace profundo
