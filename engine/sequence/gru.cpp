#include "sequence/gru.hpp"

#include "core/vector_math.hpp"
#include "sequence/sequence_math.hpp"

#include <cmath>

namespace profundo {

using namespace sequence;

Gru::Gru(int input_size, int hidden_size)
    : RecurrentLayer(input_size, hidden_size, 1),
      w_x_({input_size, 3 * hidden_size}), w_x_grad_({input_size, 3 * hidden_size}),
      w_h_({hidden_size, 3 * hidden_size}), w_h_grad_({hidden_size, 3 * hidden_size}),
      b_x_({3 * hidden_size}), b_x_grad_({3 * hidden_size}), b_h_({3 * hidden_size}), b_h_grad_({3 * hidden_size}),
      dh_scratch_({1, hidden_size}) {}

// PyTorch's U(−1/√H, 1/√H) for every weight and bias.
void Gru::initialize(Random& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(hidden_size_));
  for (Tensor* w : {&w_x_, &w_h_, &b_x_, &b_h_})
    for (std::size_t i = 0; i < w->size(); ++i) (*w)[i] = rng.uniform(-bound, bound);
}

std::vector<Parameter> Gru::parameters() {
  return {{&w_x_, &w_x_grad_, "w_x", true},
          {&w_h_, &w_h_grad_, "w_h", true},
          {&b_x_, &b_x_grad_, "b_x", false},
          {&b_h_, &b_h_grad_, "b_h", false}};
}

// x: [T, N, I] -> y: [T, N, H]
const Tensor& Gru::forward(const Tensor& x, RunContext& context) {
  const auto [time_steps, batch_size] = check_input(x);
  const int steps = time_steps, batch = batch_size;  // captured by the lambdas below (C++17 cannot capture bindings)
  const int hidden = hidden_size_, width = 3 * hidden_size_;
  input_ = &x;
  h0_ = state_[0];
  gates_.resize({steps, batch, width});
  recurrent_.resize({steps, batch, width});
  output_.resize({steps, batch, hidden});

  auto all_gates = view(gates_.data(), static_cast<Eigen::Index>(steps) * batch, width);
  gemm(context.pool, view(x.data(), all_gates.rows(), input_size_), view(w_x_.data(), input_size_, width), all_gates,
       false);
  all_gates.rowwise() += ConstStepRow(b_x_.data(), width);

  const auto w_h = view(w_h_.data(), hidden, width);
  const std::size_t step_gates = static_cast<std::size_t>(batch) * width;
  const std::size_t step_units = static_cast<std::size_t>(batch) * hidden;
  pack_for_products(w_h, w_h_packed_);
  for_batch_rows(context.pool, batch, [&](int n0, int n1) {
    const int rows = n1 - n0;
    for (int t = 0; t < steps; ++t) {
      const float* h_prev = t == 0 ? h0_.data() : output_.data() + (t - 1) * step_units;
      auto rec = view(recurrent_.data() + t * step_gates + static_cast<std::size_t>(n0) * width, rows, width);
      rec.rowwise() = ConstStepRow(b_h_.data(), width);
      gemm(view(h_prev + static_cast<std::size_t>(n0) * hidden, rows, hidden), w_h, w_h_packed_, rec, true);
      for (int n = n0; n < n1; ++n) {
        float* g_row = gates_.data() + t * step_gates + static_cast<std::size_t>(n) * width;
        const float* r_row = recurrent_.data() + t * step_gates + static_cast<std::size_t>(n) * width;
        auto r = row(g_row, hidden), z = row(g_row + hidden, hidden), candidate = row(g_row + 2 * hidden, hidden);
        r += row(r_row, hidden);
        z += row(r_row + hidden, hidden);
        vector_sigmoid(g_row, 2 * hidden, g_row);  // r and z
        candidate += r * row(r_row + 2 * hidden, hidden);
        vector_tanh(candidate.data(), hidden, candidate.data());
        const auto h_before = row(h_prev + static_cast<std::size_t>(n) * hidden, hidden);
        row(output_.data() + t * step_units + static_cast<std::size_t>(n) * hidden, hidden) =
            (1.0f - z) * candidate + z * h_before;
      }
    }
  });
  const std::size_t last = (steps - 1) * step_units;
  std::copy(output_.data() + last, output_.data() + last + step_units, state_[0].data());
  return output_;
}

// dy: [T, N, H] -> dx: [T, N, I]
const Tensor& Gru::backward(const Tensor& dy, RunContext& context) {
  const int steps = output_.dim(0), batch = output_.dim(1);
  const int hidden = hidden_size_, width = 3 * hidden_size_;
  const std::size_t step_gates = static_cast<std::size_t>(batch) * width;
  const std::size_t step_units = static_cast<std::size_t>(batch) * hidden;
  input_gates_grad_.resize(gates_.shape());
  recurrent_grad_.resize(gates_.shape());
  Tensor& dh_next = state_grad_[0];
  dh_next.resize({batch, hidden});
  dh_next.set_zero();  // truncated BPTT
  const auto w_h = view(w_h_.data(), hidden, width);
  dh_scratch_.resize({batch, hidden});

  pack_for_products(w_h.transpose(), w_h_packed_);
  for_batch_rows(context.pool, batch, [&](int n0, int n1) {
    const int rows = n1 - n0;
    for (int t = steps - 1; t >= 0; --t) {
      const float* h_prev = t == 0 ? h0_.data() : output_.data() + (t - 1) * step_units;
      for (int n = n0; n < n1; ++n) {
        const std::size_t g_at = t * step_gates + static_cast<std::size_t>(n) * width;
        const std::size_t at = t * step_units + static_cast<std::size_t>(n) * hidden;
        const std::size_t in_step = static_cast<std::size_t>(n) * hidden;
        const float* g_row = gates_.data() + g_at;
        const auto r = row(g_row, hidden), z = row(g_row + hidden, hidden), candidate = row(g_row + 2 * hidden, hidden);
        const auto rec_n = row(recurrent_.data() + g_at + 2 * hidden, hidden);
        const auto h_before = row(h_prev + in_step, hidden);
        auto dh_carry = row(dh_next.data() + in_step, hidden);
        auto dh = row(dh_scratch_.data() + in_step, hidden);
        float* dx_row = input_gates_grad_.data() + g_at;
        float* dr_row = recurrent_grad_.data() + g_at;
        dh = row(dy.data() + at, hidden) + dh_carry;
        auto d_candidate = row(dx_row + 2 * hidden, hidden);
        d_candidate = dh * (1.0f - z) * (1.0f - candidate.square());           // dL/d(n pre-activation)
        row(dx_row, hidden) = d_candidate * rec_n * r * (1.0f - r);             // dL/d(r pre-activation)
        row(dx_row + hidden, hidden) = dh * (h_before - candidate) * z * (1.0f - z);
        row(dr_row, hidden) = row(dx_row, hidden);
        row(dr_row + hidden, hidden) = row(dx_row + hidden, hidden);
        row(dr_row + 2 * hidden, hidden) = d_candidate * r;
        dh_carry = dh * z;  // the direct path h → h'; the path through W_h is added below
      }
      gemm(view(recurrent_grad_.data() + t * step_gates + static_cast<std::size_t>(n0) * width, rows, width),
           w_h.transpose(), w_h_packed_, view(dh_next.data() + static_cast<std::size_t>(n0) * hidden, rows, hidden), true);
    }
  });

  const Eigen::Index rows = static_cast<Eigen::Index>(steps) * batch;
  const auto dx_all = view(input_gates_grad_.data(), rows, width);
  const auto dr_all = view(recurrent_grad_.data(), rows, width);
  auto dw_h = view(w_h_grad_.data(), hidden, width);
  gemm(context.pool, view(h0_.data(), batch, hidden).transpose(), view(recurrent_grad_.data(), batch, width), dw_h,
       true);
  if (steps > 1)
    gemm(context.pool, view(output_.data(), rows - batch, hidden).transpose(),
         view(recurrent_grad_.data() + step_gates, rows - batch, width), dw_h, true);
  add_column_sums(dr_all.data(), rows, width, width, b_h_grad_.data());
  gemm(context.pool, view(input_->data(), rows, input_size_).transpose(), dx_all,
       view(w_x_grad_.data(), input_size_, width), true);
  add_column_sums(dx_all.data(), rows, width, width, b_x_grad_.data());
  input_grad_.resize({steps, batch, input_size_});
  gemm(context.pool, dx_all, view(w_x_.data(), input_size_, width).transpose(),
       view(input_grad_.data(), rows, input_size_), false);
  return input_grad_;
}

}  // namespace profundo
