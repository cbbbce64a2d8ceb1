// Embind registrations for character-level text generation (engine/text). Translation only: the
// defaults, validation and policies live in engine/text, where the native tests reach them.
#include "guard.hpp"
#include "settings_values.hpp"
#include "vector_binding.hpp"

#include "interop/onnx_session.hpp"
#include "persist/checkpoint.hpp"
#include "text/text_session.hpp"

#include <emscripten/bind.h>

using namespace emscripten;
using namespace profundo;
using profundo::bindings::config_from_js;
using profundo::bindings::config_to_js;
using profundo::bindings::Guard;

namespace {

std::unique_ptr<TextSession> make_text_session(const std::string& corpus, const val& config, int threads) {
  return std::make_unique<TextSession>(corpus, config_from_js(text_settings(), config, "text"), threads, "corpus");
}

// corpus may be "" to sample only.
std::unique_ptr<TextSession> resume_text_session(const val& bytes, const std::string& source, const std::string& corpus,
                                                 int threads) {
  const auto data = convertJSArrayToNumberVector<std::uint8_t>(bytes);
  return std::make_unique<TextSession>(decode_checkpoint(data.data(), data.size(), source), source, corpus, threads);
}

// The kept model (text.keep: the best one, or the last).
val save_text_session(TextSession& session) {
  const std::vector<std::uint8_t> bytes = encode_checkpoint(session.kept_checkpoint());
  return val::global("Uint8Array").new_(typed_memory_view(bytes.size(), bytes.data()));
}

// The character model as an ONNX file's bytes, copied out of wasm memory into a new Uint8Array.
val export_text_session_onnx(TextSession& session) {
  const std::vector<std::uint8_t> bytes = export_session_onnx(session);
  return val::global("Uint8Array").new_(typed_memory_view(bytes.size(), bytes.data()));
}

std::string sample_text_session(TextSession& session, const std::string& prime, int length, float temperature,
                                double seed) {
  return session.sample(prime, length, temperature, static_cast<std::uint32_t>(seed));
}

std::string sample_best_text_session(TextSession& session, const std::string& prime, int length, float temperature,
                                    double seed) {
  std::string text;
  session.sample_best_into(text, prime, length, temperature, static_cast<std::uint32_t>(seed));
  return text;
}
double best_model_step(const TextSession& session) { return static_cast<double>(session.best_model_step()); }

val default_text_config() { return config_to_js(text_settings(), TextConfig{}); }
int vocabulary_size(const TextSession& session) { return session.vocabulary().size(); }
std::vector<std::string> vocabulary_symbols(const TextSession& session) {
  std::vector<std::string> symbols;
  for (int i = 0; i < session.vocabulary().size(); ++i) symbols.push_back(session.vocabulary().symbol(i));
  return symbols;
}
val session_config(const TextSession& session) { return config_to_js(text_settings(), session.config()); }
double session_steps(const TextSession& session) { return static_cast<double>(session.steps()); }
double session_parameter_count(TextSession& session) { return static_cast<double>(session.model().parameter_count()); }
double max_text_bytes() { return static_cast<double>(max_corpus_bytes); }

}  // namespace

EMSCRIPTEN_BINDINGS(text) {
  value_object<TextTrainReport>("TextTrainReport")
      .field("loss", &TextTrainReport::loss)
      .field("steps", &TextTrainReport::steps)
      .field("clipped", &TextTrainReport::clipped)
      .field("grad_norm", &TextTrainReport::grad_norm)
      .field("step", &TextTrainReport::step)
      .field("learning_rate", &TextTrainReport::learning_rate)
      .field("epoch", &TextTrainReport::epoch)
      .field("clipped_fraction", &TextTrainReport::clipped_fraction)
      .field("characters", &TextTrainReport::characters);

  value_object<TextEvaluation>("TextEvaluation")
      .field("validation_loss", &TextEvaluation::validation_loss)
      .field("improved", &TextEvaluation::improved)
      .field("best_validation_loss", &TextEvaluation::best_validation_loss)
      .field("best_step", &TextEvaluation::best_step)
      .field("reports_since_best", &TextEvaluation::reports_since_best)
      .field("should_stop", &TextEvaluation::should_stop);

  value_object<TextCorpusStats>("TextCorpusStats")
      .field("bytes", &TextCorpusStats::bytes)
      .field("characters", &TextCorpusStats::characters)
      .field("vocabulary_size", &TextCorpusStats::vocabulary_size)
      .field("train_characters", &TextCorpusStats::train_characters)
      .field("validation_characters", &TextCorpusStats::validation_characters)
      .field("chunks_per_epoch", &TextCorpusStats::chunks_per_epoch);

  function("defaultTextConfig", &default_text_config);
  function("maxTextBytes", &max_text_bytes);

  class_<TextSession>("TextSession")
      .constructor(&Guard<&make_text_session>::call)
      .class_function("resume", &Guard<&resume_text_session>::call)
      .function("trainSteps", &Guard<&TextSession::train_steps>::call)
      .function("evaluateValidation", &Guard<&TextSession::evaluate_validation>::call)
      .function("evaluate", &Guard<&TextSession::evaluate>::call)
      .function("sample", &Guard<&sample_text_session>::call)
      .function("sampleBest", &Guard<&sample_best_text_session>::call)
      .function("bestModelStep", &best_model_step)
      .function("save", &Guard<&save_text_session>::call)
      .function("exportOnnx", &Guard<&export_text_session_onnx>::call)
      .function("canTrain", &TextSession::can_train)
      .function("config", &session_config)
      .function("corpusStats", &TextSession::corpus_stats)
      .function("vocabularySize", &vocabulary_size)
      .function("vocabulary", &vocabulary_symbols)
      .function("steps", &session_steps)
      .function("epoch", &TextSession::epoch)
      .function("threads", &TextSession::threads)
      .function("parameterCount", &session_parameter_count);
}
