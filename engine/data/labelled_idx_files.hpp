// A labelled image set from two IDX files the student chose (images and labels, already
// gunzipped), with errors that name the file, the field and what was expected.
#pragma once

#include "data/image_set.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

struct IdxFile {
  std::string name;  // the file's name, as the student knows it
  std::vector<std::uint8_t> bytes;
};

// Checks, each failure a std::invalid_argument starting with the offending file's name: the IDX
// header (parse_idx), that the images file has 3 dimensions and the labels file 1, that the counts
// agree, that images are height × width, and that every label is below `classes`.
ImageSet image_set_from_idx_files(const IdxFile& images, const IdxFile& labels, const std::string& set_name,
                                  int height, int width, int classes = 10);

}  // namespace profundo
