// A contiguous float tensor with an explicit shape.
// Layout is row-major everywhere: dense activations are [N, F], images are NCHW [N, C, H, W],
// sequences are [T, N, F]. Layers see the data through Eigen::Map views, never nested vectors.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

namespace profundo {

using Shape = std::vector<int>;

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<Matrix, Eigen::Aligned16>;
using ConstMatrixMap = Eigen::Map<const Matrix, Eigen::Aligned16>;
using VectorMap = Eigen::Map<Eigen::VectorXf, Eigen::Aligned16>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf, Eigen::Aligned16>;

std::size_t element_count(const Shape& shape);
std::string to_string(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape, float fill = 0.0f);

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int dim(int i) const { return shape_.at(static_cast<std::size_t>(i)); }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  float& operator[](std::size_t i) { return data_[i]; }
  float operator[](std::size_t i) const { return data_[i]; }

  // Changes the shape, keeping the allocation when it is large enough (no steady-state allocation).
  void resize(const Shape& shape);
  // The same from a brace list ({n, c, h, w}) without building a temporary Shape, which would be a
  // heap allocation on every call.
  void resize(std::initializer_list<int> shape);
  // Whether the shape is exactly these dimensions (no temporary Shape either).
  bool has_shape(std::initializer_list<int> dims) const;
  void fill(float value);
  void set_zero() { fill(0.0f); }

  // Views: the first dimension as rows and the rest flattened as columns.
  MatrixMap matrix();
  ConstMatrixMap matrix() const;
  ConstMatrixMap const_matrix() const { return matrix(); }
  VectorMap vector();
  ConstVectorMap vector() const;

 private:
  Shape shape_;
  std::vector<float, Eigen::aligned_allocator<float>> data_;
};

}  // namespace profundo
