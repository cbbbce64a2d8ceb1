#include "sequence/embedding.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

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
const Tensor& Embedding::forward(const std::vector<int>& indices, int steps, int batch) {
  if (steps < 1 || batch < 1 || indices.size() != static_cast<std::size_t>(steps) * batch)
    throw std::invalid_argument("embedding: expected " + std::to_string(steps) + "x" + std::to_string(batch) +
                                " indices, got " + std::to_string(indices.size()));
  indices_ = indices;
  output_.resize({steps, batch, embedding_size_});
  const std::size_t width = static_cast<std::size_t>(embedding_size_);
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const int index = indices[k];
    if (index < 0 || index >= vocabulary_size_)
      throw std::invalid_argument("embedding: index " + std::to_string(index) + " outside [0, " +
                                  std::to_string(vocabulary_size_) + ")");
    const float* source = weight_.data() + static_cast<std::size_t>(index) * width;
    std::copy(source, source + width, output_.data() + k * width);
  }
  return output_;
}

// dy: [T, N, E] -> dW rows += dy rows
void Embedding::backward(const Tensor& dy) {
  const std::size_t width = static_cast<std::size_t>(embedding_size_);
  for (std::size_t k = 0; k < indices_.size(); ++k) {
    float* target = weight_grad_.data() + static_cast<std::size_t>(indices_[k]) * width;
    const float* source = dy.data() + k * width;
    for (std::size_t j = 0; j < width; ++j) target[j] += source[j];
  }
}

}  // namespace profundo
