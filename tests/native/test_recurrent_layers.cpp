// Gradient checks of the recurrent layers over several time steps: inputs, initial state and every
// parameter; the reference of each cell's forward pass on a hand-computed case; carried state.
#include "sequence/gru.hpp"
#include "sequence/lstm.hpp"
#include "sequence/rnn.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

using namespace profundo;
using namespace profundo::testing;

namespace {

// The layer a model builds for `cell` ("rnn", "gru" or "lstm").
std::unique_ptr<RecurrentLayer> make_recurrent_layer(const std::string& cell, int input_size, int hidden_size) {
  if (cell == "rnn") return std::make_unique<Rnn>(input_size, hidden_size);
  if (cell == "gru") return std::make_unique<Gru>(input_size, hidden_size);
  return std::make_unique<Lstm>(input_size, hidden_size);
}

// T = 4 steps, N = 2 sequences, I = 3 inputs, H = 5 units: small enough to check every element.
void check_cell(RecurrentLayer& layer) {
  Random rng(11);
  layer.initialize(rng);
  // Random biases too (the LSTM starts its forget bias at 1, which would hide a wrong b gradient).
  for (auto& p : layer.parameters())
    for (std::size_t i = 0; i < p.value->size(); ++i) (*p.value)[i] = rng.normal(0.0f, 0.5f);
  std::vector<Tensor> state;
  for (std::size_t s = 0; s < layer.state().size(); ++s) state.push_back(random_tensor({2, 5}, rng, 0.5f));
  const double worst = check_recurrent_gradients(layer, random_tensor({4, 2, 3}, rng), state);
  CHECK(worst < 2e-3);
}

}  // namespace

TEST_CASE("rnn gradients over 4 steps for inputs initial state and parameters", "[grad][rnn]") {
  Rnn layer(3, 5);
  check_cell(layer);
}

TEST_CASE("lstm gradients over 4 steps for inputs initial state and parameters", "[grad][lstm]") {
  Lstm layer(3, 5);
  check_cell(layer);
}

TEST_CASE("gru gradients over 4 steps for inputs initial state and parameters", "[grad][gru]") {
  Gru layer(3, 5);
  check_cell(layer);
}

TEST_CASE("recurrent layers give the same result on 1 and 2 threads", "[rnn][lstm][gru]") {
  if (skipped_without_threads()) return;
  for (const char* cell : {"rnn", "gru", "lstm"}) {
    // Large enough for the products to be split between the threads; 13 sequences: the time loops
    // split the batch into ranges of 6 and 7 rows.
    auto one = make_recurrent_layer(cell, 64, 128);
    auto two = make_recurrent_layer(cell, 64, 128);
    Random rng_one(3), rng_two(3);
    one->initialize(rng_one);
    two->initialize(rng_two);
    Random data(4);
    const Tensor x = random_tensor({6, 13, 64}, data);
    const Tensor dy = random_tensor({6, 13, 128}, data);
    ThreadPool pool_one(1), pool_two(2);
    RunContext c1{pool_one, Mode::train, nullptr}, c2{pool_two, Mode::train, nullptr};
    const Tensor y1 = one->forward(x, c1), y2 = two->forward(x, c2);
    const Tensor dx1 = one->backward(dy, c1), dx2 = two->backward(dy, c2);
    INFO(cell);
    for (std::size_t i = 0; i < y1.size(); ++i) REQUIRE(y1[i] == Approx(y2[i]).margin(1e-5));
    for (std::size_t i = 0; i < dx1.size(); ++i) REQUIRE(dx1[i] == Approx(dx2[i]).margin(1e-4));
    for (std::size_t s = 0; s < one->state_grad().size(); ++s) {
      const Tensor &ds1 = one->state_grad()[s], &ds2 = two->state_grad()[s];
      for (std::size_t i = 0; i < ds1.size(); ++i) REQUIRE(ds1[i] == Approx(ds2[i]).margin(1e-4));
    }
    const auto p1 = one->parameters(), p2 = two->parameters();
    for (std::size_t p = 0; p < p1.size(); ++p) {
      INFO(p1[p].name);
      for (std::size_t i = 0; i < p1[p].grad->size(); ++i) REQUIRE((*p1[p].grad)[i] == Approx((*p2[p].grad)[i]).margin(1e-3));
    }
  }
}

// One LSTM unit, one input, one step, with every weight set by hand:
//   W_x = [1, 2, 3, 4] (i, f, g, o), W_h = [0.5, 0.5, 0.5, 0.5], b = 0, x = 1, h0 = 1, c0 = 2
//   pre-activations: i 1.5, f 2.5, g 3.5, o 4.5
//   c = σ(2.5)·2 + σ(1.5)·tanh(3.5) = 0.9241418·2 + 0.8175745·0.9981779 = 2.6643685
//   h = σ(4.5)·tanh(c) = 0.9890131·0.9903466 = 0.9794656
TEST_CASE("lstm forward on a hand-computed step", "[lstm]") {
  Lstm layer(1, 1);
  auto p = layer.parameters();
  const float wx[] = {1, 2, 3, 4};
  for (int k = 0; k < 4; ++k) {
    (*p[0].value)[static_cast<std::size_t>(k)] = wx[k];
    (*p[1].value)[static_cast<std::size_t>(k)] = 0.5f;
    (*p[2].value)[static_cast<std::size_t>(k)] = 0.0f;
  }
  layer.state()[0] = Tensor({1, 1}, 1.0f);
  layer.state()[1] = Tensor({1, 1}, 2.0f);
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  const Tensor& y = layer.forward(Tensor({1, 1, 1}, 1.0f), context);
  CHECK(y[0] == Approx(0.9794656).epsilon(1e-5));
  CHECK(layer.state()[1][0] == Approx(2.6643685).epsilon(1e-5));
  CHECK(layer.state()[0][0] == Approx(0.9794656).epsilon(1e-5));
}

// Truncated BPTT: running T = 6 as two chunks of 3 with the state carried gives the same outputs as
// one chunk of 6, and the first chunk's gradients do not see the second chunk's loss.
TEST_CASE("state carried across chunks equals one long sequence", "[lstm][gru][rnn][bptt]") {
  for (const char* cell : {"rnn", "gru", "lstm"}) {
    auto whole = make_recurrent_layer(cell, 3, 4);
    auto chunked = make_recurrent_layer(cell, 3, 4);
    Random a(5), b(5), data(6);
    whole->initialize(a);
    chunked->initialize(b);
    const Tensor x = random_tensor({6, 2, 3}, data);
    Tensor first({3, 2, 3}), second({3, 2, 3});
    std::copy(x.data(), x.data() + 18, first.data());
    std::copy(x.data() + 18, x.data() + 36, second.data());
    ThreadPool pool(1);
    RunContext context{pool, Mode::eval, nullptr};
    whole->reset_state(2);
    chunked->reset_state(2);
    const Tensor y = whole->forward(x, context);
    chunked->forward(first, context);
    const Tensor y2 = chunked->forward(second, context);
    INFO(cell);
    for (std::size_t i = 0; i < y2.size(); ++i) REQUIRE(y2[i] == Approx(y[24 + i]).margin(1e-6));
    // The final state is the carried state of both.
    for (std::size_t s = 0; s < whole->state().size(); ++s)
      for (std::size_t i = 0; i < whole->state()[s].size(); ++i)
        REQUIRE(chunked->state()[s][i] == Approx(whole->state()[s][i]).margin(1e-6));
  }
}

TEST_CASE("recurrent layers reject a wrongly shaped input naming the expected shape", "[lstm]") {
  Lstm layer(3, 4);
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  CHECK_THROWS_WITH(layer.forward(Tensor({2, 1, 5}), context), Catch::Contains("expected input [T, N, 3]"));
  CHECK_THROWS_WITH(Lstm(0, 4), Catch::Contains("input_size must be positive"));
}
