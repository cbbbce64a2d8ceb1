#include "core/tensor.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

std::size_t element_count(const Shape& shape) {
  std::size_t count = 1;
  for (int d : shape) {
    if (d < 0) throw std::invalid_argument("negative dimension in shape " + to_string(shape));
    count *= static_cast<std::size_t>(d);
  }
  return count;
}

std::string to_string(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

Tensor::Tensor(Shape shape, float fill) : shape_(std::move(shape)), data_(element_count(shape_), fill) {}

void Tensor::resize(const Shape& shape) {
  shape_ = shape;
  data_.resize(element_count(shape_));
}

void Tensor::resize(std::initializer_list<int> shape) {
  shape_.assign(shape.begin(), shape.end());
  data_.resize(element_count(shape_));
}

bool Tensor::has_shape(std::initializer_list<int> dims) const {
  return std::equal(shape_.begin(), shape_.end(), dims.begin(), dims.end());
}

void Tensor::fill(float value) { std::fill(data_.begin(), data_.end(), value); }

static Eigen::Index rows_of(const Shape& shape) { return shape.empty() ? 1 : shape[0]; }
static Eigen::Index cols_of(const Shape& shape, std::size_t size) {
  const Eigen::Index rows = rows_of(shape);
  return rows == 0 ? 0 : static_cast<Eigen::Index>(size) / rows;
}

MatrixMap Tensor::matrix() { return MatrixMap(data(), rows_of(shape_), cols_of(shape_, size())); }
ConstMatrixMap Tensor::matrix() const {
  return ConstMatrixMap(data(), rows_of(shape_), cols_of(shape_, size()));
}
VectorMap Tensor::vector() { return VectorMap(data(), static_cast<Eigen::Index>(size())); }
ConstVectorMap Tensor::vector() const { return ConstVectorMap(data(), static_cast<Eigen::Index>(size())); }

}  // namespace profundo
