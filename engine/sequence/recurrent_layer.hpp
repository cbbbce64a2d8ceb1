// A recurrent layer: a Layer over sequences laid out as [T, N, F] (time, batch, features; row-major,
// so one time step is a contiguous [N, F] block). The layer carries its state (h, and c for the
// LSTM) from one forward call to the next, which is what truncated backpropagation through time
// needs: the state crosses chunk boundaries, gradients do not.
#pragma once

#include "core/function_ref.hpp"
#include "core/gemm.hpp"
#include "layers/layer.hpp"

#include <string>
#include <vector>

namespace profundo {

class RecurrentLayer : public Layer {
 public:
  RecurrentLayer(int input_size, int hidden_size, int state_count);

  // Per time step and sequence: [H].
  Shape output_shape() const override { return {hidden_size_}; }
  int input_size() const { return input_size_; }
  int hidden_size() const { return hidden_size_; }

  // x: [T, N, I] -> y: [T, N, H], starting from the carried state (zeros when its batch size is not
  // N) and leaving the final state as the carried state. x must stay alive until backward.
  const Tensor& forward(const Tensor& x, RunContext& context) override = 0;
  // dy: [T, N, H] -> dx: [T, N, I]. Parameter gradients accumulate (grad +=). The final state gets
  // no gradient from later chunks (truncated BPTT); state_grad() then holds dL/d(initial state).
  const Tensor& backward(const Tensor& dy, RunContext& context) override = 0;

  // The carried state, each [N, H]: {h} or {h, c}. Writable, so tests and checkpoints can set it.
  std::vector<Tensor>& state() { return state_; }
  // dL/d(initial state) from the last backward, in the order of state().
  const std::vector<Tensor>& state_grad() const { return state_grad_; }
  // Zeros the carried state for a batch of N sequences (start of a text, a new epoch, sampling).
  void reset_state(int batch);

 protected:
  // Throws std::invalid_argument unless x is [T, N, input_size] with T, N ≥ 1; resets a state whose
  // batch size differs from N. Returns {T, N}.
  std::pair<int, int> check_input(const Tensor& x);
  // Runs body on rows [begin, end) of the batch, one range per thread. Each sequence's recurrence is
  // independent of the others', so a whole time loop splits by rows and the threads meet once per
  // call, not at every time step, whose products are too small to share (a 128-unit LSTM's: 2M
  // multiply-adds). Which row goes to which thread depends only on the thread count.
  static void for_batch_rows(ThreadPool& pool, int batch, FunctionRef<void(int begin, int end)> body);

  int input_size_;
  int hidden_size_;
  // W_h in the forward, W_hᵀ in the backward, packed once for the products of every time step
  // where the GEMM reads packed panels (sequence_math.hpp: pack_for_products).
  GemmPackedB w_h_packed_;
  std::vector<Tensor> state_;
  std::vector<Tensor> state_grad_;
};

}  // namespace profundo
