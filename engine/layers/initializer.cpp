#include "layers/initializer.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

Init parse_init(const std::string& name) {
  if (name == "xavier_uniform") return Init::xavier_uniform;
  if (name == "xavier_normal") return Init::xavier_normal;
  if (name == "he_normal") return Init::he_normal;
  if (name == "zeros") return Init::zeros;
  if (name == "constant") return Init::constant;
  if (name == "normal_small") return Init::normal_small;
  throw std::invalid_argument("init: unknown initialisation '" + name +
                              "' (expected xavier_uniform, xavier_normal, he_normal, normal_small, zeros or constant)");
}

const std::vector<std::string>& init_names() {
  // Not "constant": its value is an argument a LayerSpec does not carry (for weights it would be zeros).
  static const std::vector<std::string> names = {"auto", "he_normal", "xavier_uniform", "xavier_normal", "normal_small", "zeros"};
  return names;
}

std::string to_string(Init init) {
  switch (init) {
    case Init::xavier_uniform: return "xavier_uniform";
    case Init::xavier_normal: return "xavier_normal";
    case Init::he_normal: return "he_normal";
    case Init::zeros: return "zeros";
    case Init::constant: return "constant";
    case Init::normal_small: return "normal_small";
  }
  return "?";
}

void initialize(Tensor& tensor, Init init, int fan_in, int fan_out, Random& rng, float value) {
  const std::size_t n = tensor.size();
  switch (init) {
    case Init::xavier_uniform: {
      const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
      for (std::size_t i = 0; i < n; ++i) tensor[i] = rng.uniform(-limit, limit);
      return;
    }
    case Init::xavier_normal: {
      const float stddev = std::sqrt(2.0f / static_cast<float>(fan_in + fan_out));
      for (std::size_t i = 0; i < n; ++i) tensor[i] = rng.normal(0.0f, stddev);
      return;
    }
    case Init::he_normal: {
      const float stddev = std::sqrt(2.0f / static_cast<float>(fan_in));
      for (std::size_t i = 0; i < n; ++i) tensor[i] = rng.normal(0.0f, stddev);
      return;
    }
    case Init::normal_small:
      for (std::size_t i = 0; i < n; ++i) tensor[i] = rng.normal(0.0f, 0.01f);
      return;
    case Init::zeros: tensor.fill(0.0f); return;
    case Init::constant: tensor.fill(value); return;
  }
}

}  // namespace profundo
