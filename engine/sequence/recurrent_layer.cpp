#include "sequence/recurrent_layer.hpp"

#include <stdexcept>

namespace profundo {

RecurrentLayer::RecurrentLayer(int input_size, int hidden_size, int state_count)
    : input_size_(input_size), hidden_size_(hidden_size), state_(static_cast<std::size_t>(state_count)),
      state_grad_(static_cast<std::size_t>(state_count)) {
  if (input_size <= 0) throw std::invalid_argument("recurrent layer: input_size must be positive, got " + std::to_string(input_size));
  if (hidden_size <= 0)
    throw std::invalid_argument("recurrent layer: hidden_size must be positive, got " + std::to_string(hidden_size));
  reset_state(1);
}

void RecurrentLayer::reset_state(int batch) {
  for (Tensor& s : state_) {
    s.resize({batch, hidden_size_});
    s.set_zero();
  }
}

std::pair<int, int> RecurrentLayer::check_input(const Tensor& x) {
  if (x.rank() != 3 || x.dim(0) < 1 || x.dim(1) < 1 || x.dim(2) != input_size_)
    throw std::invalid_argument(kind() + ": expected input [T, N, " + std::to_string(input_size_) + "], got " +
                                to_string(x.shape()));
  const int batch = x.dim(1);
  if (state_.front().dim(0) != batch) reset_state(batch);
  return {x.dim(0), batch};
}

void RecurrentLayer::for_batch_rows(ThreadPool& pool, int batch, FunctionRef<void(int, int)> body) {
  constexpr int kMinRows = 4;  // a GEMM micro-tile's rows
  pool.parallel_ranges(batch, kMinRows, body);
}

}  // namespace profundo
