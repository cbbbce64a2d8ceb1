// The IDX image sets of the command-line tools (MNIST, Fashion-MNIST), from a folder on disk.
#pragma once

#include "data/image_set.hpp"

#include <memory>
#include <string>

namespace profundo::cli {

// `dir`/`prefix`-images-idx3-ubyte(.gz) and the matching labels, as the 28x28 set `name`.
std::shared_ptr<const ImageSet> load_set(const std::string& dir, const std::string& prefix, const std::string& name);

}  // namespace profundo::cli
