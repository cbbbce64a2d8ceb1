// A labelled set of images kept as uint8 (60,000 MNIST images are 47 MB, not 188 MB of floats);
// batches are converted to float on the fly.
#pragma once

#include "core/tensor.hpp"
#include "data/idx.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

struct ImageSet {
  std::string name;
  int count = 0;
  int channels = 1;
  int height = 0;
  int width = 0;
  int classes = 10;
  std::vector<std::uint8_t> pixels;  // [count, channels, height, width]
  std::vector<std::uint8_t> labels;  // [count], each in [0, classes)

  std::size_t pixels_per_image() const { return static_cast<std::size_t>(channels) * height * width; }
  Shape image_shape() const { return {channels, height, width}; }
};

// Pairs an idx3 image array with an idx1 label array, checking that the counts agree, that every
// label is below `classes` and, when expected_height/width are non-zero, the image size.
ImageSet make_image_set(IdxArray images, IdxArray labels, const std::string& name, int classes = 10,
                        int expected_height = 0, int expected_width = 0);

ImageSet load_image_set_from_idx_bytes(const std::vector<std::uint8_t>& image_bytes,
                                       const std::vector<std::uint8_t>& label_bytes, const std::string& name,
                                       int expected_height = 0, int expected_width = 0);

// How pixels become network inputs. none: x = p (0..255, to show why normalising matters);
// scale: x = p / 255; standardize: x = (p / 255 − μ) / σ with μ, σ computed on the training split.
struct Normalization {
  std::string kind = "scale";
  float mean = 0.0f;
  float stddev = 1.0f;
};

// μ and σ over the pixels of the given images (scaled to [0,1]).
Normalization fit_normalization(const ImageSet& images, const std::vector<int>& indices, const std::string& kind);

// Fills x [n, C, H, W] and a one-hot target [n, classes] for images indices[0..n).
void fill_batch(const ImageSet& images, const int* indices, int n, const Normalization& normalization, Tensor& x,
                Tensor& one_hot);

}  // namespace profundo
