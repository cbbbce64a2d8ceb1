// Gradient checks of the whole character model (embedding, stacked cells, dense head per time step,
// sparse softmax cross-entropy) as a Model, of the new Layer forms, gradient clipping, and the
// model's validation.
#include "losses/sparse_softmax_cross_entropy.hpp"
#include "model/model.hpp"
#include "optim/gradient_clipping.hpp"
#include "sequence/embedding.hpp"
#include "layers/dense.hpp"
#include "support/gradcheck.hpp"
#include "text/text_model.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;
using namespace profundo::testing;

namespace {

TextConfig text_config(const char* cell, int layers, float dropout) {
  TextConfig config;
  config.cell = cell;
  config.embedding_size = 3;
  config.hidden_size = 4;
  config.layers = layers;
  config.dropout = dropout;
  config.dropout_embedding = false;  // only between stacked layers; the tests turn on the others
  config.dropout_head = false;
  return config;
}

// d(mean cross-entropy)/dθ for every parameter and d/d(initial state) of every layer, T = 3, N = 2.
void check_model(const ModelSpec& spec, int vocabulary_size) {
  Model model(spec);
  REQUIRE(model.is_sequence());
  Random rng(21);
  model.initialize(1);
  for (auto& p : model.parameters())
    for (std::size_t i = 0; i < p.value->size(); ++i) (*p.value)[i] = rng.normal(0.0f, 0.5f);
  const int steps = 3, batch = 2;
  Tensor inputs({steps, batch}), targets({steps, batch});
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs[i] = static_cast<float>(rng.below(static_cast<std::uint32_t>(vocabulary_size)));
    targets[i] = static_cast<float>(rng.below(static_cast<std::uint32_t>(vocabulary_size)));
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
    const auto& state = model.state();
    for (std::size_t s = 0; s < state.size(); ++s) *state[s] = initial[s];
    return static_cast<double>(model.loss().forward(model.forward(inputs, context), targets));
  };
  model.zero_grad();
  loss();
  model.backward(model.loss().backward(), context);
  model.freeze_dropout_masks(true);
  // The initial-state gradients, read before the checks below run forward again.
  std::vector<std::vector<Tensor>> d_state;
  for (auto& layer : model.layers())
    if (auto* recurrent = dynamic_cast<RecurrentLayer*>(layer.get())) d_state.push_back(recurrent->state_grad());
  const GradcheckOptions options;
  const auto check = [&](float& value, double analytic, const std::string& what) {
    const float saved = value;
    value = static_cast<float>(saved + options.epsilon);
    const double plus = loss();
    value = static_cast<float>(saved - options.epsilon);
    const double minus = loss();
    value = saved;
    const double numeric = (plus - minus) / (2.0 * options.epsilon);
    INFO(spec.layers[1].type << " model: " << what << " analytic " << analytic << " numeric " << numeric);
    REQUIRE(relative_error(analytic, numeric) < options.tolerance);
  };
  for (auto& p : model.parameters()) {
    const Tensor analytic = *p.grad;
    for (std::size_t i = 0; i < p.value->size(); ++i) check((*p.value)[i], analytic[i], p.name + "[" + std::to_string(i) + "]");
  }
  std::size_t flat = 0;
  for (std::size_t l = 0; l < d_state.size(); ++l)
    for (std::size_t s = 0; s < d_state[l].size(); ++s, ++flat)
      for (std::size_t i = 0; i < d_state[l][s].size(); ++i)
        check(initial[flat][i], d_state[l][s][i], "layer " + std::to_string(l) + " state " + std::to_string(s));
}

}  // namespace

TEST_CASE("embedding and the dense head gradients in a one-layer model", "[grad][embedding][sequence_model]") {
  for (const char* cell : {"rnn", "gru", "lstm"}) check_model(text_model_spec(text_config(cell, 1, 0.0f), 5), 5);
}

TEST_CASE("stacked two-layer models have correct gradients with dropout off", "[grad][sequence_model]") {
  for (const char* cell : {"rnn", "gru", "lstm"}) check_model(text_model_spec(text_config(cell, 2, 0.0f), 5), 5);
}

TEST_CASE("a stacked model with dropout has correct gradients for a fixed mask", "[grad][sequence_model][dropout]") {
  check_model(text_model_spec(text_config("lstm", 2, 0.3f), 5), 5);
}

namespace {
// The layer types of a text model, dropout layers with their p ("dropout 0.2").
std::vector<std::string> layer_types(const ModelSpec& spec) {
  std::vector<std::string> types;
  for (const LayerSpec& layer : spec.layers)
    types.push_back(layer.type == "dropout" ? "dropout " + std::to_string(layer.p).substr(0, 3) : layer.type);
  return types;
}
}  // namespace

TEST_CASE("dropout after the embedding and before the head has correct gradients", "[grad][sequence_model][dropout]") {
  TextConfig config = text_config("gru", 1, 0.3f);
  config.dropout_embedding = true;
  config.dropout_head = true;
  const ModelSpec spec = text_model_spec(config, 5);
  CHECK(layer_types(spec) == std::vector<std::string>{"embedding", "dropout 0.3", "gru", "dropout 0.3", "dense"});
  check_model(spec, 5);
}

TEST_CASE("the text model puts dropout between stacked layers", "[sequence_model]") {
  CHECK(layer_types(text_model_spec(text_config("lstm", 3, 0.2f), 7)) ==
        std::vector<std::string>{"embedding", "lstm", "dropout 0.2", "lstm", "dropout 0.2", "lstm", "dense"});
}

TEST_CASE("each dropout placement setting puts dropout where it says", "[sequence_model][dropout][settings]") {
  using Types = std::vector<std::string>;
  TextConfig config = text_config("lstm", 2, 0.2f);
  CHECK(layer_types(text_model_spec(config, 7)) == Types{"embedding", "lstm", "dropout 0.2", "lstm", "dense"});
  config.dropout_embedding = true;
  CHECK(layer_types(text_model_spec(config, 7)) == Types{"embedding", "dropout 0.2", "lstm", "dropout 0.2", "lstm", "dense"});
  config.dropout_embedding = false;
  config.dropout_head = true;
  CHECK(layer_types(text_model_spec(config, 7)) == Types{"embedding", "lstm", "dropout 0.2", "lstm", "dropout 0.2", "dense"});
  // Through the registry, as the CLI and the page set them.
  const TextConfig read = text_config_from_json({{"dropout", 0.5}, {"dropout_embedding", true}, {"dropout_head", true}, {"layers", 1}});
  CHECK(layer_types(text_model_spec(read, 7)) == Types{"embedding", "dropout 0.5", "lstm", "dropout 0.5", "dense"});
  // The defaults: dropout 0.3 in all three places (README, "Text presets").
  CHECK(layer_types(text_model_spec(TextConfig{}, 7)) == Types{"embedding", "dropout 0.3", "lstm", "dropout 0.3", "dense"});
}

TEST_CASE("embedding as a Layer: weight gradients, indices [T, N] in and [T, N, E] out", "[grad][embedding]") {
  Embedding embedding(6, 3);
  Random rng(2);
  embedding.initialize(rng);
  Tensor indices({2, 3});
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<float>((i * 5) % 6);
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  CHECK(embedding.forward(indices, context).shape() == Shape{2, 3, 3});
  // The indices are not differentiable: only the weight is checked.
  check_layer_gradients(embedding, indices, {}, [](std::size_t) { return true; });
  indices[4] = 2.5f;
  CHECK_THROWS_WITH(embedding.forward(indices, context), Catch::Contains("index 2.5"));
  indices[4] = 6.0f;
  CHECK_THROWS_WITH(embedding.forward(indices, context), Catch::Contains("[0, 6)"));
}

TEST_CASE("dense per time step: [T, N, in] -> [T, N, out] with the gradients of every row", "[grad][dense]") {
  Dense dense(4, 3, Init::xavier_uniform);
  Random rng(4);
  dense.initialize(rng);
  const Tensor x = random_tensor({2, 3, 4}, rng);
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};
  CHECK(dense.forward(x, context).shape() == Shape{2, 3, 3});
  check_layer_gradients(dense, x);
}

TEST_CASE("sparse softmax cross-entropy gradient against class indices", "[grad][loss]") {
  SparseSoftmaxCrossEntropy loss;
  Random rng(5);
  const Tensor logits = random_tensor({2, 3, 4}, rng);
  Tensor targets({2, 3});
  for (std::size_t i = 0; i < targets.size(); ++i) targets[i] = static_cast<float>(i % 4);
  check_loss_gradient(loss, logits, targets);
  targets[1] = 4.0f;
  CHECK_THROWS_WITH(loss.forward(logits, targets), Catch::Contains("class index in [0, 4)"));
}

// Logits [0, ln 3] for target 1: p = [1/4, 3/4], L = −ln(3/4); the same row twice has the same mean.
TEST_CASE("sparse softmax cross-entropy of a hand-computed row", "[loss][golden]") {
  SparseSoftmaxCrossEntropy loss;
  Tensor logits({2, 2});
  logits[1] = logits[3] = std::log(3.0f);
  Tensor targets({2}, 1.0f);
  CHECK(loss.forward(logits, targets) == Approx(-std::log(0.75)));
  CHECK(loss.backward()[0] == Approx(0.25 / 2));
  CHECK(loss.backward()[1] == Approx(-0.25 / 2));
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

TEST_CASE("sequence model specs are validated naming the layer", "[sequence_model]") {
  ModelSpec spec = text_model_spec(text_config("lstm", 1, 0.0f), 5);
  spec.layers[1].units = 0;
  // The layer table's range, naming the field as the model JSON spells it.
  CHECK_THROWS_WITH(Model(spec), "model.layers[1].units must be in [1, 2147483647], got 0");
  spec = text_model_spec(text_config("lstm", 1, 0.0f), 5);
  spec.layers[0].vocabulary_size = 0;
  CHECK_THROWS_WITH(Model(spec), "model.layers[0].vocabulary_size must be in [1, 2147483647], got 0");
  spec = text_model_spec(text_config("lstm", 1, 0.0f), 5);
  spec.layers.insert(spec.layers.begin() + 1, spec.layers[0]);
  CHECK_THROWS_WITH(Model(spec), Catch::Contains("embedding must be the first layer"));
  spec = text_model_spec(text_config("lstm", 1, 0.0f), 5);
  spec.layers.insert(spec.layers.begin() + 2, LayerSpec{"flatten"});
  CHECK_THROWS_WITH(Model(spec), Catch::Contains("flatten cannot be used in a sequence model"));
  ModelSpec image{{2}, {LayerSpec{"dense", 3}}, "sparse_softmax_cross_entropy"};
  CHECK_THROWS_WITH(Model(image), Catch::Contains("is for sequence models"));
}
