#include "data/labelled_idx_files.hpp"

#include <stdexcept>

namespace profundo {

namespace {

std::string dims_text(const std::vector<int>& dims) {
  std::string text;
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? " x " : "") + std::to_string(dims[i]);
  return text;
}

}  // namespace

ImageSet image_set_from_idx_files(const IdxFile& images, const IdxFile& labels, const std::string& set_name,
                                  int height, int width, int classes) {
  const auto fail = [](const IdxFile& file, const std::string& what) {
    throw std::invalid_argument(file.name + ": " + what);
  };
  IdxArray image_array = parse_idx(images.bytes.data(), images.bytes.size(), images.name);
  IdxArray label_array = parse_idx(labels.bytes.data(), labels.bytes.size(), labels.name);
  if (image_array.dims.size() != 3)
    fail(images, "an images file needs 3 dimensions in its header (count, rows, columns), got " +
                     std::to_string(image_array.dims.size()) + " (" + dims_text(image_array.dims) + ")" +
                     (image_array.dims.size() == 1 ? ": is this a labels file?" : ""));
  if (label_array.dims.size() != 1)
    fail(labels, "a labels file needs 1 dimension in its header (count), got " + std::to_string(label_array.dims.size()) +
                     " (" + dims_text(label_array.dims) + ")" + (label_array.dims.size() == 3 ? ": is this an images file?" : ""));
  if (image_array.dims[0] == 0) fail(images, "the header says 0 images");
  if (image_array.dims[1] != height || image_array.dims[2] != width)
    fail(images, "images are " + std::to_string(image_array.dims[1]) + " x " + std::to_string(image_array.dims[2]) +
                     " pixels (rows x columns in the header), expected " + std::to_string(height) + " x " +
                     std::to_string(width));
  if (label_array.dims[0] != image_array.dims[0])
    fail(labels, "holds " + std::to_string(label_array.dims[0]) + " labels but " + images.name + " holds " +
                     std::to_string(image_array.dims[0]) + " images (the counts in the headers must agree)");
  for (std::size_t i = 0; i < label_array.data.size(); ++i)
    if (label_array.data[i] >= classes)
      fail(labels, "label " + std::to_string(label_array.data[i]) + " of sample " + std::to_string(i) +
                       " is outside 0-" + std::to_string(classes - 1));
  return make_image_set(std::move(image_array), std::move(label_array), set_name, classes, height, width);
}

}  // namespace profundo
