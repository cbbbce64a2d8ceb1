// Padding of 2-D convolutions, and the output size and offsets it implies along one axis.
//   valid: no padding, out = floor((in − k) / stride) + 1 (must be ≥ 1)
//   same:  TensorFlow's rule, out = ceil(in / stride), total = max((out − 1)·stride + k − in, 0),
//          the top/left side gets total / 2 and the bottom/right side the rest.
#pragma once

#include <string>

namespace profundo {

enum class Padding { valid, same };

// "valid" or "same"; throws std::invalid_argument naming the value otherwise.
Padding parse_padding(const std::string& name);
std::string to_string(Padding padding);

struct AxisExtent {
  int output = 0;   // output positions along the axis
  int before = 0;   // zeros padded before the first input element (top or left)
  int after = 0;    // zeros padded after the last one (bottom or right)
};

// Throws std::invalid_argument (prefixed with `what`) when the kernel does not fit (valid padding).
AxisExtent axis_extent(int input, int kernel, int stride, Padding padding, const std::string& what);

}  // namespace profundo
