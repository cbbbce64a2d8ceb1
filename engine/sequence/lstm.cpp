#include "sequence/lstm.hpp"

#include "core/step_profile.hpp"
#include "core/vector_math.hpp"
#include "sequence/sequence_math.hpp"

#include <cmath>

namespace profundo {

using namespace sequence;

namespace {
// Parts of the step that profundo-bench --profile times (core/step_profile.hpp).
ProfilePart input_product("lstm forward: x·W_x + b (all steps)");
ProfilePart recurrent_product("lstm forward: h·W_h (per step)");
ProfilePart gate_activations("lstm forward: σ, tanh of the gates");
ProfilePart cell_update("lstm forward: c, tanh(c), h");
ProfilePart cell_backward("lstm backward: element-wise dc, dG");
ProfilePart recurrent_backward("lstm backward: dG·W_hᵀ (per step)");
ProfilePart weight_gradients("lstm backward: dW_h, dW_x, db");
ProfilePart input_gradient("lstm backward: dx = dG·W_xᵀ");
}  // namespace

Lstm::Lstm(int input_size, int hidden_size)
    : RecurrentLayer(input_size, hidden_size, 2),
      w_x_({input_size, 4 * hidden_size}), w_x_grad_({input_size, 4 * hidden_size}),
      w_h_({hidden_size, 4 * hidden_size}), w_h_grad_({hidden_size, 4 * hidden_size}),
      b_({4 * hidden_size}), b_grad_({4 * hidden_size}), dh_scratch_({1, hidden_size}), dc_scratch_({1, hidden_size}) {}

// PyTorch's U(−1/√H, 1/√H) for every weight; the forget-gate bias starts at 1 so the cell remembers
// by default at the start of training (Jozefowicz et al. 2015).
void Lstm::initialize(Random& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(hidden_size_));
  for (Tensor* w : {&w_x_, &w_h_})
    for (std::size_t i = 0; i < w->size(); ++i) (*w)[i] = rng.uniform(-bound, bound);
  b_.set_zero();
  for (int j = hidden_size_; j < 2 * hidden_size_; ++j) b_[static_cast<std::size_t>(j)] = 1.0f;
}

std::vector<Parameter> Lstm::parameters() {
  return {{&w_x_, &w_x_grad_, "w_x", true}, {&w_h_, &w_h_grad_, "w_h", true}, {&b_, &b_grad_, "b", false}};
}

// x: [T, N, I] -> y: [T, N, H]
const Tensor& Lstm::forward(const Tensor& x, RunContext& context) {
  const auto [time_steps, batch_size] = check_input(x);
  const int steps = time_steps, batch = batch_size;  // captured by the lambdas below (C++17 cannot capture bindings)
  const int hidden = hidden_size_, gates_width = 4 * hidden_size_;
  input_ = &x;
  h0_ = state_[0];
  c0_ = state_[1];
  gates_.resize({steps, batch, gates_width});
  cells_.resize({steps, batch, hidden});
  tanh_cells_.resize({steps, batch, hidden});
  output_.resize({steps, batch, hidden});

  // The input projection of all T steps at once: [T·N, I] x [I, 4H], plus the bias.
  auto all_gates = view(gates_.data(), static_cast<Eigen::Index>(steps) * batch, gates_width);
  {
    const ProfileScope scope(input_product);
    gemm(context.pool, view(x.data(), all_gates.rows(), input_size_), view(w_x_.data(), input_size_, gates_width),
         all_gates, false);
    all_gates.rowwise() += ConstStepRow(b_.data(), gates_width);
  }

  const auto w_h = view(w_h_.data(), hidden, gates_width);
  const std::size_t step_gates = static_cast<std::size_t>(batch) * gates_width;
  const std::size_t step_units = static_cast<std::size_t>(batch) * hidden;
  pack_for_products(w_h, w_h_packed_);
  for_batch_rows(context.pool, batch, [&](int n0, int n1) {
    const int rows = n1 - n0;
    for (int t = 0; t < steps; ++t) {
      float* gates = gates_.data() + t * step_gates;
      const float* h_prev = t == 0 ? h0_.data() : output_.data() + (t - 1) * step_units;
      const float* c_prev = t == 0 ? c0_.data() : cells_.data() + (t - 1) * step_units;
      {
        const ProfileScope scope(recurrent_product);
        gemm(view(h_prev + static_cast<std::size_t>(n0) * hidden, rows, hidden), w_h, w_h_packed_,
             view(gates + static_cast<std::size_t>(n0) * gates_width, rows, gates_width), true);
      }
      {
        const ProfileScope scope(gate_activations);
        for (int n = n0; n < n1; ++n) {
          float* g_row = gates + static_cast<std::size_t>(n) * gates_width;
          vector_sigmoid(g_row, 2 * hidden, g_row);  // i and f
          vector_tanh(g_row + 2 * hidden, hidden, g_row + 2 * hidden);
          vector_sigmoid(g_row + 3 * hidden, hidden, g_row + 3 * hidden);
        }
      }
      const ProfileScope scope(cell_update);
      for (int n = n0; n < n1; ++n) {
        float* g_row = gates + static_cast<std::size_t>(n) * gates_width;
        auto i = row(g_row, hidden), f = row(g_row + hidden, hidden), g = row(g_row + 2 * hidden, hidden),
             o = row(g_row + 3 * hidden, hidden);
        const std::size_t at = t * step_units + static_cast<std::size_t>(n) * hidden;
        auto c = row(cells_.data() + at, hidden);
        auto tanh_c = row(tanh_cells_.data() + at, hidden);
        c = f * row(c_prev + static_cast<std::size_t>(n) * hidden, hidden) + i * g;
        vector_tanh(c.data(), hidden, tanh_c.data());
        row(output_.data() + at, hidden) = o * tanh_c;
      }
    }
  });
  const std::size_t last = (steps - 1) * step_units;
  std::copy(output_.data() + last, output_.data() + last + step_units, state_[0].data());
  std::copy(cells_.data() + last, cells_.data() + last + step_units, state_[1].data());
  return output_;
}

// dy: [T, N, H] -> dx: [T, N, I], backpropagating through time from the last step to the first.
const Tensor& Lstm::backward(const Tensor& dy, RunContext& context) {
  const int steps = output_.dim(0), batch = output_.dim(1);
  const int hidden = hidden_size_, gates_width = 4 * hidden_size_;
  const std::size_t step_gates = static_cast<std::size_t>(batch) * gates_width;
  const std::size_t step_units = static_cast<std::size_t>(batch) * hidden;
  gates_grad_.resize(gates_.shape());
  Tensor& dh_next = state_grad_[0];
  Tensor& dc_next = state_grad_[1];
  dh_next.resize({batch, hidden});
  dc_next.resize({batch, hidden});
  dh_next.set_zero();  // truncated BPTT: nothing flows back from the next chunk
  dc_next.set_zero();
  const auto w_h = view(w_h_.data(), hidden, gates_width);
  dh_scratch_.resize({batch, hidden});
  dc_scratch_.resize({batch, hidden});

  pack_for_products(w_h.transpose(), w_h_packed_);
  for_batch_rows(context.pool, batch, [&](int n0, int n1) {
    const int rows = n1 - n0;
    for (int t = steps - 1; t >= 0; --t) {
      const float* c_prev = t == 0 ? c0_.data() : cells_.data() + (t - 1) * step_units;
      ProfileScope element_scope(cell_backward);
      for (int n = n0; n < n1; ++n) {
        const std::size_t g_at = t * step_gates + static_cast<std::size_t>(n) * gates_width;
        const std::size_t at = t * step_units + static_cast<std::size_t>(n) * hidden;
        const std::size_t in_step = static_cast<std::size_t>(n) * hidden;
        const float* g_row = gates_.data() + g_at;
        const auto i = row(g_row, hidden), f = row(g_row + hidden, hidden), g = row(g_row + 2 * hidden, hidden),
                   o = row(g_row + 3 * hidden, hidden);
        const auto tanh_c = row(tanh_cells_.data() + at, hidden);
        const auto c_before = row(c_prev + in_step, hidden);
        auto dc_carry = row(dc_next.data() + in_step, hidden);
        auto dh = row(dh_scratch_.data() + in_step, hidden);
        auto dc = row(dc_scratch_.data() + in_step, hidden);
        float* d_row = gates_grad_.data() + g_at;
        dh = row(dy.data() + at, hidden) + row(dh_next.data() + in_step, hidden);
        dc = dc_carry + dh * o * (1.0f - tanh_c.square());
        row(d_row, hidden) = dc * g * i * (1.0f - i);                       // di · σ'
        row(d_row + hidden, hidden) = dc * c_before * f * (1.0f - f);       // df · σ'
        row(d_row + 2 * hidden, hidden) = dc * i * (1.0f - g.square());    // dg · tanh'
        row(d_row + 3 * hidden, hidden) = dh * tanh_c * o * (1.0f - o);     // do · σ'
        dc_carry = dc * f;
      }
      element_scope.stop();
      const ProfileScope scope(recurrent_backward);
      // dh_{t−1} = dG_t W_hᵀ
      gemm(view(gates_grad_.data() + t * step_gates + static_cast<std::size_t>(n0) * gates_width, rows, gates_width),
           w_h.transpose(), w_h_packed_, view(dh_next.data() + static_cast<std::size_t>(n0) * hidden, rows, hidden), false);
    }
  });

  // The parameter gradients and dx of all steps in a few large products.
  const Eigen::Index rows = static_cast<Eigen::Index>(steps) * batch;
  const auto d_all = view(gates_grad_.data(), rows, gates_width);
  ProfileScope weight_scope(weight_gradients);
  auto dw_h = view(w_h_grad_.data(), hidden, gates_width);
  gemm(context.pool, view(h0_.data(), batch, hidden).transpose(), view(gates_grad_.data(), batch, gates_width), dw_h,
       true);
  if (steps > 1)
    gemm(context.pool, view(output_.data(), rows - batch, hidden).transpose(),
         view(gates_grad_.data() + step_gates, rows - batch, gates_width), dw_h, true);
  gemm(context.pool, view(input_->data(), rows, input_size_).transpose(), d_all,
       view(w_x_grad_.data(), input_size_, gates_width), true);
  add_column_sums(d_all.data(), rows, gates_width, gates_width, b_grad_.data());
  weight_scope.stop();
  const ProfileScope scope(input_gradient);
  input_grad_.resize({steps, batch, input_size_});
  gemm(context.pool, d_all, view(w_x_.data(), input_size_, gates_width).transpose(),
       view(input_grad_.data(), rows, input_size_), false);
  return input_grad_;
}

}  // namespace profundo
