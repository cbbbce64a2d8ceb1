#include "sequence/rnn.hpp"

#include "core/vector_math.hpp"
#include "sequence/sequence_math.hpp"

#include <cmath>

namespace profundo {

using namespace sequence;

Rnn::Rnn(int input_size, int hidden_size)
    : RecurrentLayer(input_size, hidden_size, 1), w_x_({input_size, hidden_size}), w_x_grad_({input_size, hidden_size}),
      w_h_({hidden_size, hidden_size}), w_h_grad_({hidden_size, hidden_size}), b_({hidden_size}),
      b_grad_({hidden_size}) {}

// PyTorch's U(−1/√H, 1/√H).
void Rnn::initialize(Random& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(hidden_size_));
  for (Tensor* w : {&w_x_, &w_h_, &b_})
    for (std::size_t i = 0; i < w->size(); ++i) (*w)[i] = rng.uniform(-bound, bound);
}

std::vector<Parameter> Rnn::parameters() {
  return {{&w_x_, &w_x_grad_, "w_x", true}, {&w_h_, &w_h_grad_, "w_h", true}, {&b_, &b_grad_, "b", false}};
}

// x: [T, N, I] -> y: [T, N, H]
const Tensor& Rnn::forward(const Tensor& x, RunContext& context) {
  const auto [time_steps, batch_size] = check_input(x);
  const int steps = time_steps, batch = batch_size;  // captured by the lambdas below (C++17 cannot capture bindings)
  const int hidden = hidden_size_;
  input_ = &x;
  h0_ = state_[0];
  output_.resize({steps, batch, hidden});
  const Eigen::Index all_rows = static_cast<Eigen::Index>(steps) * batch;
  auto all = view(output_.data(), all_rows, hidden);
  gemm(context.pool, view(x.data(), all_rows, input_size_), view(w_x_.data(), input_size_, hidden), all, false);
  all.rowwise() += ConstStepRow(b_.data(), hidden);
  const std::size_t step_units = static_cast<std::size_t>(batch) * hidden;
  const auto w_h = view(w_h_.data(), hidden, hidden);
  pack_for_products(w_h, w_h_packed_);
  for_batch_rows(context.pool, batch, [&](int n0, int n1) {
    const int rows = n1 - n0;
    const std::size_t first = static_cast<std::size_t>(n0) * hidden;
    for (int t = 0; t < steps; ++t) {
      const float* h_prev = t == 0 ? h0_.data() : output_.data() + (t - 1) * step_units;
      auto h = view(output_.data() + t * step_units + first, rows, hidden);
      gemm(view(h_prev + first, rows, hidden), w_h, w_h_packed_, h, true);
      vector_tanh(h.data(), static_cast<int>(h.size()), h.data());
    }
  });
  std::copy(output_.data() + (steps - 1) * step_units, output_.data() + steps * step_units, state_[0].data());
  return output_;
}

// dy: [T, N, H] -> dx: [T, N, I]
const Tensor& Rnn::backward(const Tensor& dy, RunContext& context) {
  const int steps = output_.dim(0), batch = output_.dim(1), hidden = hidden_size_;
  const std::size_t step_units = static_cast<std::size_t>(batch) * hidden;
  pre_grad_.resize(output_.shape());
  Tensor& dh_next = state_grad_[0];
  dh_next.resize({batch, hidden});
  dh_next.set_zero();  // truncated BPTT
  const auto w_h = view(w_h_.data(), hidden, hidden);
  pack_for_products(w_h.transpose(), w_h_packed_);
  for_batch_rows(context.pool, batch, [&](int n0, int n1) {
    const int rows = n1 - n0;
    const std::size_t first = static_cast<std::size_t>(n0) * hidden;
    const auto units = static_cast<Eigen::Index>(rows) * hidden;
    for (int t = steps - 1; t >= 0; --t) {
      const std::size_t at = t * step_units + first;
      const auto h = row(output_.data() + at, units);
      auto d_pre = row(pre_grad_.data() + at, units);
      d_pre = (row(dy.data() + at, units) + row(dh_next.data() + first, units)) * (1.0f - h.square());
      gemm(view(pre_grad_.data() + at, rows, hidden), w_h.transpose(), w_h_packed_, view(dh_next.data() + first, rows, hidden),
           false);
    }
  });
  const Eigen::Index rows = static_cast<Eigen::Index>(steps) * batch;
  const auto d_all = view(pre_grad_.data(), rows, hidden);
  auto dw_h = view(w_h_grad_.data(), hidden, hidden);
  gemm(context.pool, view(h0_.data(), batch, hidden).transpose(), view(pre_grad_.data(), batch, hidden), dw_h, true);
  if (steps > 1)
    gemm(context.pool, view(output_.data(), rows - batch, hidden).transpose(),
         view(pre_grad_.data() + step_units, rows - batch, hidden), dw_h, true);
  gemm(context.pool, view(input_->data(), rows, input_size_).transpose(), d_all,
       view(w_x_grad_.data(), input_size_, hidden), true);
  add_column_sums(d_all.data(), rows, hidden, hidden, b_grad_.data());
  input_grad_.resize({steps, batch, input_size_});
  gemm(context.pool, d_all, view(w_x_.data(), input_size_, hidden).transpose(),
       view(input_grad_.data(), rows, input_size_), false);
  return input_grad_;
}

}  // namespace profundo
