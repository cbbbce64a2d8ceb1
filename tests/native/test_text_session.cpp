// TextSession: training lowers the loss well below log V, sampling is deterministic, greedy
// sampling is the argmax, save/resume continues exactly, and bad files are refused.
#include "interop/onnx_session.hpp"
#include "persist/checkpoint.hpp"
#include "text/text_session.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace profundo;

namespace {

std::string repeated_text() {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "hola, señor. ¿qué tal? ";
  return text;
}

TextConfig small_config(const std::string& cell = "lstm") {
  TextConfig config;
  config.cell = cell;
  config.hidden_size = 32;
  config.embedding_size = 8;
  config.seq_length = 16;
  config.batch_size = 4;
  config.optimizer.learning_rate = 0.01f;
  config.seed = 5;
  return config;
}

}  // namespace

TEST_CASE("a small model overfits a repeated text far below log V", "[text][session]") {
  for (const char* cell : {"rnn", "gru", "lstm"}) {
    TextSession session(repeated_text(), small_config(cell), 1, "hola");
    const double uniform = std::log(session.vocabulary().size());
    const TextTrainReport first = session.train_steps(1);
    CHECK(first.loss == Approx(uniform).epsilon(0.15));
    TextTrainReport last;
    for (int i = 0; i < 10; ++i) last = session.train_steps(20);
    INFO(cell << ": loss " << last.loss << " vs log V " << uniform);
    CHECK(last.loss < 0.25 * uniform);
    CHECK(session.evaluate_validation(0) < 0.3 * uniform);
    CHECK(last.step == 201);
  }
}

TEST_CASE("sampling is deterministic for a seed and greedy at temperature 0", "[text][sampler]") {
  TextSession session(repeated_text(), small_config(), 1, "hola");
  session.train_steps(150);
  const std::string a = session.sample("hola", 60, 1.0f, 9);
  CHECK(a == session.sample("hola", 60, 1.0f, 9));
  CHECK(a != session.sample("hola", 60, 1.0f, 10));
  CHECK(session.sample("", 0, 1.0f, 1).empty());
  // Greedy does not depend on the seed, and continues the memorised text.
  const std::string greedy = session.sample("hola, se", 10, 0.0f, 1);
  CHECK(greedy == session.sample("hola, se", 10, 0.0f, 2));
  CHECK(greedy == "ñor. ¿qué ");
  CHECK_THROWS_WITH(session.sample("hola", 10, -1.0f, 1), Catch::Contains("temperature"));
  CHECK_THROWS_WITH(session.sample("xyz", 10, 1.0f, 1), Catch::Contains("'x'"));
  // Sampling leaves the training state alone: training continues as if it had not happened.
  TextSession twin(repeated_text(), small_config(), 1, "hola");
  twin.train_steps(150);
  CHECK(twin.train_steps(5).loss == session.train_steps(5).loss);
}

TEST_CASE("a saved text run resumes exactly and can sample without its corpus", "[text][session][checkpoint]") {
  TextConfig config = small_config("gru");
  config.layers = 2;
  config.dropout = 0.2f;
  TextSession straight(repeated_text(), config, 1, "hola");
  straight.train_steps(30);
  const double expected = straight.train_steps(20).loss;

  TextSession first(repeated_text(), config, 1, "hola");
  first.train_steps(30);
  const std::vector<std::uint8_t> bytes = encode_checkpoint(first.checkpoint());
  const Checkpoint decoded = decode_checkpoint(bytes.data(), bytes.size(), "run.profundo");
  TextSession resumed(decoded, "run.profundo", repeated_text(), 1);
  CHECK(resumed.train_steps(20).loss == expected);
  CHECK(resumed.steps() == 50);

  TextSession sampler(decoded, "run.profundo", "", 1);
  CHECK_FALSE(sampler.can_train());
  CHECK(sampler.sample("hola", 30, 0.8f, 3) == first.sample("hola", 30, 0.8f, 3));
  CHECK_THROWS_WITH(sampler.train_steps(1), Catch::Contains("resume it with its text"));
}

TEST_CASE("bad text checkpoints are refused with a reason", "[text][checkpoint]") {
  TextSession session(repeated_text(), small_config(), 1, "hola");
  session.train_steps(2);
  Checkpoint saved = session.checkpoint();
  CHECK_THROWS_WITH(TextSession(saved, "f", repeated_text() + "x", 1), Catch::Contains("different text"));
  Checkpoint wrong_kind = saved;
  wrong_kind.header["kind"] = "profundo-classifier";
  CHECK_THROWS_WITH(TextSession(wrong_kind, "f", "", 1), Catch::Contains("not a saved text model"));
  Checkpoint bad_config = saved;
  bad_config.header["config"]["hidden_size"] = 0;
  CHECK_THROWS_WITH(TextSession(bad_config, "f", "", 1), Catch::Contains("text.hidden_size"));
  Checkpoint missing = saved;
  missing.tensors.resize(2);
  CHECK_THROWS_WITH(TextSession(missing, "f", "", 1), Catch::Contains("missing tensor"));
  Checkpoint reshaped = saved;
  reshaped.tensors[0].second = Tensor({3, 3});
  CHECK_THROWS_WITH(TextSession(reshaped, "f", "", 1), Catch::Contains("has shape"));
  std::vector<std::uint8_t> bytes = encode_checkpoint(saved);
  bytes[bytes.size() / 2] ^= 0xFF;
  CHECK_THROWS_WITH(decode_checkpoint(bytes.data(), bytes.size(), "f"), Catch::Contains("f:"));
}

TEST_CASE("text settings are validated naming the field", "[text][config]") {
  TextConfig config = small_config();
  config.seq_length = 0;
  CHECK_THROWS_WITH(TextSession(repeated_text(), config, 1), Catch::Contains("text.seq_length"));
  config = small_config();
  config.clip_norm = -1;
  CHECK_THROWS_WITH(TextSession(repeated_text(), config, 1), Catch::Contains("text.clip_norm"));
  config = small_config();
  config.optimizer.learning_rate = 0;
  CHECK_THROWS_WITH(TextSession(repeated_text(), config, 1), Catch::Contains("text.optimizer"));
  CHECK_THROWS_WITH(text_config_from_json({{"hiden_size", 3}}), Catch::Contains("text: unknown field 'hiden_size'"));
  // Each size within its range, the whole far too large: refused before allocating 4 GB.
  config = small_config();
  config.cell = "lstm";
  config.layers = 8;
  config.hidden_size = 4096;
  CHECK_THROWS_WITH(TextSession(repeated_text(), config, 1), Catch::Contains("parameters"));
  CHECK_THROWS_WITH(text_config_from_json({{"hidden_size", 1e40}}), Catch::Contains("hidden_size"));
  CHECK(to_json(text_config_from_json(to_json(small_config()))) == to_json(small_config()));
}

TEST_CASE("clipping is counted in the training report", "[text][clipping]") {
  TextConfig config = small_config();
  config.clip_norm = 1e-3f;  // every step clips
  TextSession session(repeated_text(), config, 1);
  const TextTrainReport report = session.train_steps(5);
  CHECK(report.clipped == 5);
  CHECK(report.clipped_fraction == 1.0);
  CHECK(report.grad_norm > 1e-3);
  config.clip_norm = 0;  // off
  TextSession unclipped(repeated_text(), config, 1);
  CHECK(unclipped.train_steps(5).clipped == 0);
}

namespace {

// A checkpoint in the layout saved before the text model was a Model: no "format", parameters named
// embedding.weight, layers.<l>.<name>, head.weight (stored [H, V]) and head.bias, the head weight's
// optimiser state transposed too.
Checkpoint in_older_layout(Checkpoint saved, int recurrent_parameters) {
  saved.header.erase("format");
  const std::size_t parameters = 1 + static_cast<std::size_t>(recurrent_parameters) + 2;
  const std::size_t head_weight = parameters - 2;
  const auto transpose = [](Tensor& tensor) {
    Tensor t({tensor.dim(1), tensor.dim(0)});
    t.matrix() = tensor.matrix().transpose();
    tensor = t;
  };
  for (std::size_t k = 0; k < saved.tensors.size(); ++k) {
    auto& [name, tensor] = saved.tensors[k];
    if (k == 0) name = "embedding.weight";
    else if (k < head_weight) name = "layers.0." + name.substr(name.rfind('.') + 1);
    else if (k == head_weight) name = "head.weight";
    else if (k == head_weight + 1) name = "head.bias";
    const bool optimizer = name.rfind("optimizer.", 0) == 0;
    if (k == head_weight || (optimizer && std::stoul(name.substr(10)) % parameters == head_weight)) transpose(tensor);
  }
  return saved;
}

}  // namespace

TEST_CASE("a text checkpoint saved by the older layout resumes exactly", "[text][checkpoint]") {
  TextSession first(repeated_text(), small_config("lstm"), 1, "hola");
  first.train_steps(12);
  const Checkpoint saved = first.checkpoint();
  CHECK(saved.tensors.front().first == "layers.0.weight");
  CHECK(saved.header.at("format") == 2);
  const Checkpoint older = in_older_layout(saved, 3);
  CHECK(older.tensors[4].first == "head.weight");
  CHECK(older.tensors[4].second.shape() == Shape{32, first.vocabulary().size()});

  TextSession from_new(saved, "new.profundo", repeated_text(), 1);
  TextSession from_old(older, "old.profundo", repeated_text(), 1);
  const double expected = first.train_steps(6).loss;
  CHECK(from_new.train_steps(6).loss == expected);
  CHECK(from_old.train_steps(6).loss == expected);
  CHECK(from_old.sample("hola", 20, 0.8f, 4) == first.sample("hola", 20, 0.8f, 4));

  Checkpoint newer = saved;
  newer.header["format"] = 3;
  CHECK_THROWS_WITH(TextSession(newer, "newer.profundo", "", 1), Catch::Contains("saved by another version"));
}

TEST_CASE("the text run's schedule and L2 reach the shared Trainer", "[text][trainer]") {
  TextConfig config = small_config();
  config.optimizer.kind = "sgd";
  config.schedule.kind = "step";
  config.schedule.gamma = 0.5f;
  config.schedule.step_size = 2;
  config.l2 = 0.5f;
  config.clip_norm = 0.0f;
  TextSession session(repeated_text(), config, 1);
  // α_t = 0.01 · 0.5^⌊t/2⌋ for t = 0, 1, 2, 3, 4 (the report carries the last step's).
  CHECK(session.train_steps(2).learning_rate == Approx(0.01));
  CHECK(session.train_steps(2).learning_rate == Approx(0.005));
  CHECK(session.train_steps(1).learning_rate == Approx(0.0025));
  CHECK(session.trainer().config().l2 == 0.5f);
  CHECK(to_json(text_config_from_json(to_json(config))) == to_json(config));
}

namespace {
// Makes the model worse (or NaN) in place, as an overfitting or diverging run would.
void spoil_weights(TextSession& session, float value) {
  for (auto& parameter : session.model().parameters()) parameter.value->fill(value);
}
}  // namespace

TEST_CASE("a text run keeps the model of the lowest validation loss, samples and saves it", "[text][session][best]") {
  TextConfig config = small_config();
  config.patience = 2;
  TextSession session(repeated_text(), config, 1, "hola");
  session.train_steps(60);
  const TextEvaluation first = session.evaluate(0);
  CHECK(first.improved);
  CHECK(first.best_step == 60);
  CHECK(first.best_validation_loss == first.validation_loss);
  const std::string best_sample = session.sample("hola", 40, 0.8f, 3);
  const std::vector<std::uint8_t> best_bytes = encode_checkpoint(session.checkpoint());
  const std::vector<std::uint8_t> best_onnx = export_session_onnx(session);

  session.train_steps(1);
  spoil_weights(session, 0.5f);
  const TextEvaluation worse = session.evaluate(0);
  CHECK_FALSE(worse.improved);
  CHECK(worse.validation_loss > first.validation_loss);
  CHECK(worse.best_step == 60);
  CHECK(worse.best_validation_loss == first.validation_loss);
  CHECK(worse.reports_since_best == 1);
  CHECK_FALSE(worse.should_stop);
  CHECK(session.best_model_step() == 60);

  std::string text;
  session.sample_best_into(text, "hola", 40, 0.8f, 3);
  CHECK(text == best_sample);
  CHECK(session.sample("hola", 40, 0.8f, 3) != best_sample);  // the current model is the spoilt one
  CHECK(encode_checkpoint(session.kept_checkpoint()) == best_bytes);
  CHECK(export_session_onnx(session) == best_onnx);  // the ONNX file is the kept model too

  CHECK(session.evaluate(0).should_stop);  // patience 2: the second report without improvement
}

TEST_CASE("with keep last the run ends with its current model, and the best is still reported", "[text][session][best]") {
  TextConfig config = small_config();
  config.keep = "last";
  TextSession session(repeated_text(), config, 1, "hola");
  session.train_steps(60);
  session.evaluate(0);
  session.train_steps(1);
  spoil_weights(session, 0.5f);
  CHECK(session.evaluate(0).best_step == 60);
  const std::vector<std::uint8_t> current = encode_checkpoint(session.checkpoint());
  CHECK(encode_checkpoint(session.kept_checkpoint()) == current);
  CHECK_FALSE(session.best().should_stop());  // patience 0: never
}

TEST_CASE("a NaN validation loss stops the run with a clear message and keeps the best model", "[text][session][best]") {
  TextSession session(repeated_text(), small_config(), 1, "hola");
  session.train_steps(30);
  session.evaluate(0);
  const std::vector<std::uint8_t> best_bytes = encode_checkpoint(session.checkpoint());
  session.train_steps(1);
  spoil_weights(session, std::nanf(""));
  CHECK_THROWS_WITH(session.evaluate(0),
                    "the validation loss became NaN at step 31; training stopped. Try a smaller learning rate.");
  CHECK(session.best().best_step() == 30);
  CHECK(encode_checkpoint(session.kept_checkpoint()) == best_bytes);
}
