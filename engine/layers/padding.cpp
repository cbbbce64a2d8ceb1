#include "layers/padding.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

Padding parse_padding(const std::string& name) {
  if (name == "valid") return Padding::valid;
  if (name == "same") return Padding::same;
  throw std::invalid_argument("unknown padding '" + name + "' (expected valid or same)");
}

std::string to_string(Padding padding) { return padding == Padding::same ? "same" : "valid"; }

AxisExtent axis_extent(int input, int kernel, int stride, Padding padding, const std::string& what) {
  if (input <= 0) throw std::invalid_argument(what + ": input size must be positive, got " + std::to_string(input));
  if (kernel <= 0) throw std::invalid_argument(what + ": kernel_size must be positive, got " + std::to_string(kernel));
  if (stride <= 0) throw std::invalid_argument(what + ": stride must be positive, got " + std::to_string(stride));
  AxisExtent extent;
  if (padding == Padding::same) {
    extent.output = (input + stride - 1) / stride;
    const int total = std::max((extent.output - 1) * stride + kernel - input, 0);
    extent.before = total / 2;
    extent.after = total - extent.before;
  } else {
    if (kernel > input) {
      throw std::invalid_argument(what + ": kernel_size " + std::to_string(kernel) + " is larger than the input size " +
                                  std::to_string(input) + " with valid padding");
    }
    extent.output = (input - kernel) / stride + 1;
  }
  return extent;
}

}  // namespace profundo
