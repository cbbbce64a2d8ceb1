#include "data/image_set.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

ImageSet make_image_set(IdxArray images, IdxArray labels, const std::string& name, int classes, int expected_height,
                        int expected_width) {
  const auto fail = [&](const std::string& what) { throw std::invalid_argument(name + ": " + what); };
  if (images.dims.size() != 3)
    fail("images must be a 3-dimensional IDX array (count, rows, columns), got " + std::to_string(images.dims.size()) +
         " dimensions");
  if (labels.dims.size() != 1)
    fail("labels must be a 1-dimensional IDX array, got " + std::to_string(labels.dims.size()) + " dimensions");
  if (images.dims[0] != labels.dims[0])
    fail(std::to_string(images.dims[0]) + " images but " + std::to_string(labels.dims[0]) + " labels");
  if (images.dims[0] == 0) fail("the set is empty");
  if (images.dims[1] < 1 || images.dims[2] < 1) fail("images have a zero dimension");
  if ((expected_height && images.dims[1] != expected_height) || (expected_width && images.dims[2] != expected_width))
    fail("images are " + std::to_string(images.dims[1]) + "x" + std::to_string(images.dims[2]) + ", expected " +
         std::to_string(expected_height) + "x" + std::to_string(expected_width));
  for (std::size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] >= classes)
      fail("label " + std::to_string(labels.data[i]) + " of sample " + std::to_string(i) + " is outside 0-" +
           std::to_string(classes - 1));
  ImageSet set;
  set.name = name;
  set.count = images.dims[0];
  set.height = images.dims[1];
  set.width = images.dims[2];
  set.classes = classes;
  set.pixels = std::move(images.data);
  set.labels = std::move(labels.data);
  return set;
}

ImageSet load_image_set_from_idx_bytes(const std::vector<std::uint8_t>& image_bytes,
                                       const std::vector<std::uint8_t>& label_bytes, const std::string& name,
                                       int expected_height, int expected_width) {
  return make_image_set(parse_idx(image_bytes.data(), image_bytes.size(), name + " images"),
                        parse_idx(label_bytes.data(), label_bytes.size(), name + " labels"), name, 10,
                        expected_height, expected_width);
}

Normalization fit_normalization(const ImageSet& images, const std::vector<int>& indices, const std::string& kind) {
  if (kind != "none" && kind != "scale" && kind != "standardize")
    throw std::invalid_argument("normalization: unknown kind '" + kind + "' (expected none, scale or standardize)");
  Normalization normalization{kind, 0.0f, 1.0f};
  if (kind != "standardize" || indices.empty()) return normalization;
  const std::size_t per_image = images.pixels_per_image();
  double sum = 0.0, sum_squares = 0.0;
  for (int index : indices) {
    const std::uint8_t* pixels = images.pixels.data() + per_image * static_cast<std::size_t>(index);
    for (std::size_t j = 0; j < per_image; ++j) {
      const double value = pixels[j] / 255.0;
      sum += value;
      sum_squares += value * value;
    }
  }
  const double n = static_cast<double>(per_image) * static_cast<double>(indices.size());
  const double mean = sum / n;
  normalization.mean = static_cast<float>(mean);
  normalization.stddev = static_cast<float>(std::sqrt(std::max(sum_squares / n - mean * mean, 1e-12)));
  return normalization;
}

void fill_batch(const ImageSet& images, const int* indices, int n, const Normalization& normalization, Tensor& x,
                Tensor& one_hot) {
  const std::size_t per_image = images.pixels_per_image();
  x.resize({n, images.channels, images.height, images.width});
  one_hot.resize({n, images.classes});
  one_hot.set_zero();
  float scale = 1.0f, shift = 0.0f;  // x = p * scale + shift
  if (normalization.kind == "scale") scale = 1.0f / 255.0f;
  if (normalization.kind == "standardize") {
    scale = 1.0f / (255.0f * normalization.stddev);
    shift = -normalization.mean / normalization.stddev;
  }
  for (int i = 0; i < n; ++i) {
    const std::size_t index = static_cast<std::size_t>(indices[i]);
    const std::uint8_t* pixels = images.pixels.data() + per_image * index;
    float* out = x.data() + per_image * static_cast<std::size_t>(i);
    for (std::size_t j = 0; j < per_image; ++j) out[j] = static_cast<float>(pixels[j]) * scale + shift;
    one_hot[static_cast<std::size_t>(i) * images.classes + images.labels[index]] = 1.0f;
  }
}

}  // namespace profundo
