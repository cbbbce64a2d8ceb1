// Saving a TextSession to a Checkpoint and resuming from one: settings, vocabulary, weights,
// optimiser state, the carried hidden state, the position in the text and the dropout stream, so a
// resumed run continues bit for bit. The corpus itself is not saved (it may be 16 MB); its CRC-32
// identifies it when training resumes.
#include "text/text_session.hpp"

#include "core/json_fields.hpp"
#include "persist/random_json.hpp"

#include <stdexcept>

namespace profundo {

namespace {

constexpr const char* kCheckpointKind = "profundo-text";
// 2: the model is a Model (parameter names and the head's layout as parameter_names() says).
constexpr int kCheckpointFormat = 2;

const nlohmann::json& header_field(const Checkpoint& saved, const char* key, const std::string& source) {
  if (!saved.header.is_object() || !saved.header.contains(key))
    throw std::invalid_argument(source + ": not a saved text model (no '" + key + "' in its header)");
  return saved.header.at(key);
}

TextConfig saved_config(const Checkpoint& saved, const std::string& source) {
  if (header_field(saved, "kind", source) != kCheckpointKind)
    throw std::invalid_argument(source + ": not a saved text model (kind " + saved.header.at("kind").dump() + ")");
  try {
    return text_config_from_json(header_field(saved, "config", source));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(source + ": " + error.what());
  }
}

Vocabulary saved_vocabulary(const Checkpoint& saved, const std::string& source) {
  const nlohmann::json& list = header_field(saved, "vocabulary", source);
  if (!list.is_array()) throw std::invalid_argument(source + ": vocabulary must be a list of code points");
  std::vector<char32_t> code_points;
  for (const auto& item : list) {
    if (!item.is_number_unsigned()) throw std::invalid_argument(source + ": vocabulary must be a list of code points");
    code_points.push_back(static_cast<char32_t>(item.get<std::uint32_t>()));
  }
  return Vocabulary::from_code_points(std::move(code_points), source);
}

std::unique_ptr<Corpus> saved_corpus(const Checkpoint& saved, const std::string& source, const std::string& text,
                                     const TextConfig& config) {
  if (text.empty()) return nullptr;
  auto corpus = std::make_unique<Corpus>(make_corpus(text, config.validation_fraction, config.seq_length, "corpus"));
  const nlohmann::json& info = header_field(saved, "corpus", source);
  using json_fields::checked_get;
  if (!info.is_object() || !info.contains("checksum") || !info.contains("bytes"))
    throw std::invalid_argument(source + ": corpus: expected its checksum and size");
  const auto saved_checksum = checked_get<std::uint32_t>(info.at("checksum"), source + ": corpus.checksum");
  const auto saved_bytes = checked_get<std::uint64_t>(info.at("bytes"), source + ": corpus.bytes");
  if (saved_checksum != corpus->checksum || saved_bytes != corpus->bytes)
    throw std::invalid_argument(source + ": this model was trained on a different text (" +
                                std::to_string(saved_bytes) + " bytes, CRC-32 " +
                                std::to_string(saved_checksum) + "); give the same corpus to continue");
  return corpus;
}

// Checkpoint names of the model's parameters, "layers.<layer index>.<parameter>" as for images.
// Files saved before the text model was a Model (no "format" in their header) named them
// "embedding.weight", "layers.<recurrent layer>.<parameter>", "head.weight" and "head.bias", with the
// head's weight stored [H, V] instead of the dense layer's [V, H]: such files are read by mapping.
std::vector<std::string> parameter_names(Model& model, bool older_layout) {
  std::vector<std::string> names;
  int recurrent = 0;
  for (std::size_t i = 0; i < model.layers().size(); ++i) {
    Layer& layer = *model.layers()[i];
    const bool is_recurrent = is_recurrent_layer(layer.kind());
    for (const Parameter& p : layer.parameters()) {
      if (!older_layout) names.push_back("layers." + std::to_string(i) + "." + p.name);
      else if (layer.kind() == "embedding") names.push_back("embedding." + p.name);
      else if (is_recurrent) names.push_back("layers." + std::to_string(recurrent) + "." + p.name);
      else names.push_back(p.name == "W" ? "head.weight" : "head.bias");
    }
    recurrent += is_recurrent ? 1 : 0;
  }
  return names;
}

// [rows, cols] -> [cols, rows]
Tensor transposed(const Tensor& tensor) {
  Tensor result({tensor.dim(1), tensor.dim(0)});
  result.matrix() = tensor.matrix().transpose();
  return result;
}

}  // namespace

Checkpoint TextSession::checkpoint() {
  require_corpus("saving");
  Checkpoint saved;
  nlohmann::json vocabulary = nlohmann::json::array();
  for (const char32_t c : vocabulary_.code_points()) vocabulary.push_back(static_cast<std::uint32_t>(c));
  saved.header = {{"kind", kCheckpointKind},
                  {"format", kCheckpointFormat},
                  {"config", to_json(config_)},
                  {"vocabulary", vocabulary},
                  {"corpus", {{"bytes", corpus_->bytes}, {"checksum", corpus_->checksum}}},
                  {"progress",
                   {{"steps", trainer_.steps()},
                    {"epoch", epoch_},
                    {"next_chunk", batcher_->next_chunk()},
                    {"clipped_steps", clipped_steps_}}},
                  {"random", {{"dropout", random_to_json(trainer_.dropout_rng())}}}};
  const std::vector<std::string> names = parameter_names(model_, false);
  for (std::size_t k = 0; k < names.size(); ++k) saved.tensors.emplace_back(names[k], *model_.parameters()[k].value);
  int index = 0;
  for (Tensor* s : model_.state()) saved.tensors.emplace_back("state." + std::to_string(index++), *s);
  index = 0;
  for (const Tensor& tensor : trainer_.optimizer().state()) saved.tensors.emplace_back("optimizer." + std::to_string(index++), tensor);
  return saved;
}

TextSession::TextSession(const Checkpoint& saved, const std::string& source, const std::string& corpus_text, int threads)
    : TextSession(saved_config(saved, source), saved_vocabulary(saved, source),
                  saved_corpus(saved, source, corpus_text, saved_config(saved, source)), threads) {
  if (corpus_ && corpus_->vocabulary.code_points() != saved_vocabulary(saved, source).code_points())
    throw std::invalid_argument(source + ": the corpus's characters differ from the saved vocabulary");
  restore(saved, source);
}

void TextSession::restore(const Checkpoint& saved, const std::string& source) {
  const bool older_layout = !saved.header.contains("format");
  if (!older_layout && saved.header.at("format") != kCheckpointFormat)
    throw std::invalid_argument(source + ": text checkpoint format " + saved.header.at("format").dump() +
                                " is not one this version reads (" + std::to_string(kCheckpointFormat) +
                                "); it was saved by another version of Profundo");
  std::vector<Parameter>& parameters = model_.parameters();
  const std::vector<std::string> names = parameter_names(model_, older_layout);
  // The older layout stored the head's weight transposed; so is its optimiser state.
  const std::size_t head_weight = older_layout ? parameters.size() - 2 : parameters.size();
  std::size_t next = 0;
  const auto take = [&](const std::string& expected_name, const Shape& shape, bool transpose) -> Tensor {
    if (next >= saved.tensors.size()) throw std::invalid_argument(source + ": missing tensor " + expected_name);
    const auto& [name, tensor] = saved.tensors[next++];
    if (name != expected_name) throw std::invalid_argument(source + ": expected tensor " + expected_name + ", found " + name);
    const Shape stored = transpose ? Shape{shape.at(1), shape.at(0)} : shape;
    if (tensor.shape() != stored)
      throw std::invalid_argument(source + ": " + name + " has shape " + to_string(tensor.shape()) + ", expected " +
                                  to_string(stored));
    return transpose ? transposed(tensor) : tensor;
  };
  for (std::size_t k = 0; k < parameters.size(); ++k)
    *parameters[k].value = take(names[k], parameters[k].value->shape(), k == head_weight);
  const std::vector<Tensor*>& state = model_.state();
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (next >= saved.tensors.size()) throw std::invalid_argument(source + ": missing tensor state." + std::to_string(i));
    const Shape shape = saved.tensors[next].second.shape();
    if (shape.size() != 2 || shape[1] != config_.hidden_size)
      throw std::invalid_argument(source + ": state." + std::to_string(i) + " has shape " + to_string(shape));
    *state[i] = take("state." + std::to_string(i), shape, false);
  }
  Optimizer& optimizer = trainer_.optimizer();
  auto& optimizer_state = optimizer.state();
  optimizer_state.clear();
  while (next < saved.tensors.size()) {
    const std::size_t k = optimizer_state.size();
    const std::size_t parameter = k % parameters.size();
    optimizer_state.push_back(take("optimizer." + std::to_string(k), parameters[parameter].value->shape(),
                                   parameter == head_weight));
  }
  if (optimizer_state.size() % parameters.size() != 0)
    throw std::invalid_argument(source + ": incomplete optimiser state");
  try {
    const nlohmann::json& progress = header_field(saved, "progress", source);
    using json_fields::checked_get;
    optimizer.set_steps(checked_get<long long>(progress.at("steps"), source + ": progress.steps"));
    epoch_ = checked_get<int>(progress.at("epoch"), source + ": progress.epoch");
    clipped_steps_ = checked_get<long long>(progress.at("clipped_steps"), source + ": progress.clipped_steps");
    if (batcher_) batcher_->set_next_chunk(checked_get<int>(progress.at("next_chunk"), source + ": progress.next_chunk"));
    random_from_json(header_field(saved, "random", source).at("dropout"), trainer_.dropout_rng(),
                     source + ": random.dropout");
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(source + ": damaged header (" + error.what() + ")");
  }
  if (optimizer.steps() < 0 || epoch_ < 0 || clipped_steps_ < 0 || clipped_steps_ > optimizer.steps())
    throw std::invalid_argument(source + ": progress out of range");
}

}  // namespace profundo
