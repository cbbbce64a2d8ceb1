// Weight initialisation schemes (course: "Inicialización de los pesos").
#pragma once

#include "core/random.hpp"
#include "core/tensor.hpp"

#include <string>
#include <vector>

namespace profundo {

enum class Init { xavier_uniform, xavier_normal, he_normal, zeros, constant, normal_small };

// Parses "xavier_uniform", "xavier_normal", "he_normal", "zeros", "constant", "normal_small";
// throws std::invalid_argument naming the value otherwise.
Init parse_init(const std::string& name);
// The names a LayerSpec's init may take: "auto" (the model builder's choice: He before ReLU-like,
// else Xavier) and those of parse_init but "constant".
const std::vector<std::string>& init_names();
std::string to_string(Init init);

// fan_in/fan_out are the number of inputs/outputs of one unit (for conv: channels * kernel area).
//   xavier_uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out))      (Glorot & Bengio 2010)
//   xavier_normal:  N(0, 2 / (fan_in + fan_out))
//   he_normal:      N(0, 2 / fan_in)   = randn * sqrt(2 / n[l-1])   (He et al. 2015, the course)
//   normal_small:   N(0, 0.01^2)       the "small random numbers" of the course's first attempts
//   zeros, constant: every element equal to value
void initialize(Tensor& tensor, Init init, int fan_in, int fan_out, Random& rng, float value = 0.0f);

}  // namespace profundo
