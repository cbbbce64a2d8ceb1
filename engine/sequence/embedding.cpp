#include "sequence/embedding.hpp"

#include "core/step_profile.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

namespace {
ProfilePart forward_part("embedding forward");  // profundo-bench --profile (core/step_profile.hpp)
ProfilePart backward_part("embedding backward");
}  // namespace

Embedding::Embedding(int vocabulary_size, int embedding_size)
    : vocabulary_size_(vocabulary_size), embedding_size_(embedding_size) {
  if (vocabulary_size <= 0)
    throw std::invalid_argument("embedding: vocabulary_size must be positive, got " + std::to_string(vocabulary_size));
  if (embedding_size <= 0)
    throw std::invalid_argument("embedding: embedding_size must be positive, got " + std::to_string(embedding_size));
  weight_.resize({vocabulary_size, embedding_size});
  weight_grad_.resize({vocabulary_size, embedding_size});
}

void Embedding::initialize(Random& rng) {
  for (std::size_t i = 0; i < weight_.size(); ++i) weight_[i] = rng.normal();
}

// indices: [T, N] -> y: [T, N, E]
const Tensor& Embedding::forward(const Tensor& indices, RunContext& /*context*/) {
  const ProfileScope scope(forward_part);
  const bool fits = (indices.rank() == 2 || (indices.rank() == 3 && indices.dim(2) == 1)) && indices.dim(0) >= 1 &&
                    indices.dim(1) >= 1;
  if (!fits) throw std::invalid_argument("embedding: expected indices [T, N], got " + to_string(indices.shape()));
  const int steps = indices.dim(0), batch = indices.dim(1);
  indices_.resize(indices.size());
  output_.resize({steps, batch, embedding_size_});
  const std::size_t width = static_cast<std::size_t>(embedding_size_);
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const float value = indices[k];
    const int index = static_cast<int>(value);
    // Written so that NaN fails too.
    if (!(value >= 0.0f && value < static_cast<float>(vocabulary_size_)) || static_cast<float>(index) != value)
      throw std::invalid_argument("embedding: index " + std::to_string(value) + " is not a whole number in [0, " +
                                  std::to_string(vocabulary_size_) + ")");
    indices_[k] = index;
    const float* source = weight_.data() + static_cast<std::size_t>(index) * width;
    std::copy(source, source + width, output_.data() + k * width);
  }
  return output_;
}

// dy: [T, N, E] -> dW rows += dy rows
const Tensor& Embedding::backward(const Tensor& dy, RunContext& /*context*/) {
  const ProfileScope scope(backward_part);
  const std::size_t width = static_cast<std::size_t>(embedding_size_);
  for (std::size_t k = 0; k < indices_.size(); ++k) {
    float* target = weight_grad_.data() + static_cast<std::size_t>(indices_[k]) * width;
    const float* source = dy.data() + k * width;
    for (std::size_t j = 0; j < width; ++j) target[j] += source[j];
  }
  return no_input_grad_;
}

}  // namespace profundo
