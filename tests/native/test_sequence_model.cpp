// Gradient checks of the whole character model (embedding, stacked cells, softmax head), gradient
// clipping, and an overfit test.
#include "optim/gradient_clipping.hpp"
#include "sequence/sequence_model.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;
using namespace profundo::testing;

namespace {

// d(mean cross-entropy)/dθ for every parameter and d/d(initial state) of every layer, T = 3, N = 2.
void check_model(const SequenceModelSpec& spec) {
  SequenceModel model(spec);
  Random rng(21);
  model.initialize(rng);
  for (auto& p : model.parameters())
    for (std::size_t i = 0; i < p.value->size(); ++i) (*p.value)[i] = rng.normal(0.0f, 0.5f);
  const int steps = 3, batch = 2;
  std::vector<int> inputs(steps * batch), targets(steps * batch);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs[i] = static_cast<int>(rng.below(static_cast<std::uint32_t>(spec.vocabulary_size)));
    targets[i] = static_cast<int>(rng.below(static_cast<std::uint32_t>(spec.vocabulary_size)));
  }
  model.reset_state(batch);
  std::vector<Tensor> initial;
  for (Tensor* s : model.state()) {
    *s = random_tensor(s->shape(), rng, 0.5f);
    initial.push_back(*s);
  }
  ThreadPool pool(1);
  Random dropout_rng(3, RandomStream::dropout);
  RunContext context{pool, Mode::train, &dropout_rng};
  const auto loss = [&] {
    const auto state = model.state();
    for (std::size_t s = 0; s < state.size(); ++s) *state[s] = initial[s];
    model.forward(inputs, steps, batch, context);
    return model.loss(targets);
  };
  model.zero_grad();
  loss();
  model.backward(context);
  model.freeze_dropout_masks(true);
  const GradcheckOptions options;
  const auto check = [&](float& value, double analytic, const std::string& what) {
    const float saved = value;
    value = static_cast<float>(saved + options.epsilon);
    const double plus = loss();
    value = static_cast<float>(saved - options.epsilon);
    const double minus = loss();
    value = saved;
    const double numeric = (plus - minus) / (2.0 * options.epsilon);
    INFO(spec.cell << " x" << spec.layers << ": " << what << " analytic " << analytic << " numeric " << numeric);
    REQUIRE(relative_error(analytic, numeric) < options.tolerance);
  };
  for (auto& p : model.parameters()) {
    const Tensor analytic = *p.grad;
    for (std::size_t i = 0; i < p.value->size(); ++i) check((*p.value)[i], analytic[i], p.name + "[" + std::to_string(i) + "]");
  }
  for (int l = 0; l < spec.layers; ++l) {
    const std::vector<Tensor> d_state = model.recurrent_layer(l).state_grad();
    for (std::size_t s = 0; s < d_state.size(); ++s) {
      std::size_t flat = 0;
      for (int k = 0; k < l; ++k) flat += model.recurrent_layer(k).state().size();
      for (std::size_t i = 0; i < d_state[s].size(); ++i)
        check(initial[flat + s][i], d_state[s][i], "layer " + std::to_string(l) + " state " + std::to_string(s));
    }
  }
}

}  // namespace

TEST_CASE("embedding and softmax head gradients in a one-layer model", "[grad][embedding][sequence_model]") {
  for (const char* cell : {"rnn", "gru", "lstm"}) check_model({cell, 5, 3, 4, 1, 0.0f});
}

TEST_CASE("stacked two-layer models have correct gradients with dropout off", "[grad][sequence_model]") {
  for (const char* cell : {"rnn", "gru", "lstm"}) check_model({cell, 5, 3, 4, 2, 0.0f});
}

TEST_CASE("a stacked model with dropout has correct gradients for a fixed mask", "[grad][sequence_model][dropout]") {
  check_model({"lstm", 5, 3, 4, 2, 0.3f});
}

// Gradients (3, 4) and (12): global norm √(9 + 16 + 144) = 13; with max 6.5 each is halved.
TEST_CASE("clipping by global norm scales every gradient by max over norm", "[clipping]") {
  Tensor a({2}), ga({2}), b({1}), gb({1});
  ga[0] = 3, ga[1] = 4, gb[0] = 12;
  std::vector<Parameter> parameters{{&a, &ga, "a", true}, {&b, &gb, "b", false}};
  const ClipResult kept = clip_gradients_by_global_norm(parameters, 20.0f);
  CHECK(kept.norm == Approx(13.0));
  CHECK_FALSE(kept.clipped);
  CHECK(ga[0] == 3.0f);
  const ClipResult clipped = clip_gradients_by_global_norm(parameters, 6.5f);
  CHECK(clipped.norm == Approx(13.0));
  CHECK(clipped.clipped);
  CHECK(ga[0] == Approx(1.5f));
  CHECK(ga[1] == Approx(2.0f));
  CHECK(gb[0] == Approx(6.0f));
  CHECK_FALSE(clip_gradients_by_global_norm(parameters, 0.0f).clipped);  // 0 = off
}

TEST_CASE("model settings are validated naming the field", "[sequence_model]") {
  CHECK_THROWS_WITH(SequenceModel({"lstm", 5, 3, 0, 1, 0.0f}), Catch::Contains("model.hidden_size"));
  CHECK_THROWS_WITH(SequenceModel({"transformer", 5, 3, 4, 1, 0.0f}), Catch::Contains("model.cell"));
  CHECK_THROWS_WITH(SequenceModel({"gru", 5, 3, 4, 1, 1.0f}), Catch::Contains("model.dropout"));
  CHECK_THROWS_WITH(SequenceModel({"gru", 0, 3, 4, 1, 0.0f}), Catch::Contains("model.vocabulary_size"));
}
