#include "cli/image_sets.hpp"

#include "data/idx.hpp"
#include "io/gzip_file.hpp"

#include <fstream>
#include <stdexcept>

namespace profundo::cli {

std::shared_ptr<const ImageSet> load_set(const std::string& dir, const std::string& prefix, const std::string& name) {
  const auto find = [&](const std::string& base) {
    for (const std::string& candidate : {dir + "/" + base + ".gz", dir + "/" + base}) {
      if (std::ifstream(candidate).good()) return candidate;
    }
    throw std::runtime_error("cannot find " + dir + "/" + base + "(.gz); run `npm run data` or pass --data DIR");
  };
  const std::string images_path = find(prefix + "-images-idx3-ubyte");
  const std::string labels_path = find(prefix + "-labels-idx1-ubyte");
  const auto read_idx = [](const std::string& path) {
    const auto bytes = read_maybe_gzip_file(path);
    return parse_idx(bytes.data(), bytes.size(), path);
  };
  // MNIST and Fashion-MNIST images are 28x28: anything else is the wrong file.
  return std::make_shared<ImageSet>(make_image_set(read_idx(images_path), read_idx(labels_path), name, 10, 28, 28));
}

}  // namespace profundo::cli
