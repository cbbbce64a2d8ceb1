#include "text/text_session.hpp"

#include "text/text_model.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

namespace {

// indices: T·N character indices ([T, N] row-major) -> tensor [T, N], as the model and its loss take them.
void fill_index_tensor(const std::vector<int>& indices, int steps, int batch, Tensor& tensor) {
  tensor.resize({steps, batch});
  for (std::size_t i = 0; i < indices.size(); ++i) tensor[i] = static_cast<float>(indices[i]);
}

std::unique_ptr<Corpus> corpus_for(const std::string& text, const TextConfig& config, const std::string& source) {
  validate(config);
  return std::make_unique<Corpus>(make_corpus(text, config.validation_fraction, config.seq_length, source));
}

}  // namespace

// With a corpus, the vocabulary is the corpus's (a resumed run passes the saved one instead).
TextSession::TextSession(const TextConfig& config, Vocabulary vocabulary, std::unique_ptr<Corpus> corpus, int threads)
    : config_((validate(config), config)), vocabulary_(corpus ? corpus->vocabulary : std::move(vocabulary)),
      corpus_(std::move(corpus)), pool_(threads), model_(text_model_spec(config, vocabulary_.size())),
      trainer_(model_, text_train_config(config), pool_), best_(config.patience, config.keep == "best") {
  if (corpus_) batcher_ = std::make_unique<SequenceBatcher>(corpus_->train, config.seq_length, config.batch_size);
  model_.initialize(config.seed);
  model_.reset_state(config.batch_size);
}

TextSession::TextSession(const std::string& corpus_text, const TextConfig& config, int threads, const std::string& source)
    : TextSession(config, Vocabulary(), corpus_for(corpus_text, config, source), threads) {}

void TextSession::require_corpus(const char* what) const {
  if (!corpus_)
    throw std::logic_error(std::string(what) +
                           " needs the corpus: this session was resumed for sampling only; resume it with its text");
}

TextTrainReport TextSession::train_steps(int count) {
  require_corpus("training");
  if (count < 1) throw std::invalid_argument("train_steps: count must be positive, got " + std::to_string(count));
  TextTrainReport report;
  double loss_sum = 0.0;
  for (int i = 0; i < count; ++i) {
    if (batcher_->next(inputs_, targets_)) {
      model_.reset_state(config_.batch_size);  // a new pass over the text starts from zeros
    }
    fill_index_tensor(inputs_, config_.seq_length, config_.batch_size, batch_x_);
    fill_index_tensor(targets_, config_.seq_length, config_.batch_size, batch_y_);
    const StepResult result = trainer_.step(batch_x_, batch_y_);
    if (batcher_->next_chunk() == 0) ++epoch_;
    loss_sum += result.data_loss;
    report.clipped += result.clipped ? 1 : 0;
    report.grad_norm = result.grad_norm;
    report.learning_rate = result.learning_rate;
  }
  clipped_steps_ += report.clipped;
  report.steps = count;
  report.loss = loss_sum / count;
  report.step = static_cast<double>(trainer_.steps());
  report.epoch = epoch_;
  report.clipped_fraction = static_cast<double>(clipped_steps_) / static_cast<double>(trainer_.steps());
  report.characters = report.step * config_.seq_length * config_.batch_size;
  return report;
}

double TextSession::evaluate_validation(int max_characters) {
  require_corpus("validation");
  save_state();
  const std::vector<int>& text = corpus_->validation;
  const int steps = config_.seq_length;
  // As many streams as fit, up to the training batch size: the validation text may be short.
  const int streams =
      std::max(1, std::min(config_.batch_size, static_cast<int>((text.size() - 1) / static_cast<std::size_t>(steps))));
  SequenceBatcher batcher(text, steps, streams);
  int chunks = batcher.chunks_per_epoch();
  if (max_characters > 0) chunks = std::max(1, std::min(chunks, max_characters / (steps * streams)));
  RunContext context{pool_, Mode::eval, nullptr};
  model_.reset_state(streams);
  double total = 0.0;
  for (int c = 0; c < chunks; ++c) {
    batcher.next(validation_inputs_, validation_targets_);
    fill_index_tensor(validation_inputs_, steps, streams, batch_x_);
    fill_index_tensor(validation_targets_, steps, streams, batch_y_);
    total += model_.loss().forward(model_.forward(batch_x_, context), batch_y_);
  }
  restore_state();
  return total / chunks;
}

TextEvaluation TextSession::evaluate(int max_characters) {
  TextEvaluation report;
  report.validation_loss = evaluate_validation(max_characters);
  report.improved = best_.offer(report.validation_loss, steps(), [&] { return checkpoint(); });
  if (report.improved) best_sampler_.reset();
  if (!std::isfinite(report.validation_loss))
    throw TrainingDiverged("the validation loss became " + std::string(std::isnan(report.validation_loss) ? "NaN" : "infinite") +
                               " at step " + std::to_string(steps()) +
                               "; training stopped. Try a smaller learning rate.",
                           steps());
  report.best_validation_loss = best_.best_score();
  report.best_step = static_cast<double>(best_.best_step());
  report.reports_since_best = best_.evaluations_since_best();
  report.should_stop = best_.should_stop();
  return report;
}

void TextSession::keep_from_now(const std::string& keep, int patience) {
  config_.keep = keep;
  config_.patience = patience;
  best_ = BestCheckpoint(patience, keep == "best");
  best_sampler_.reset();
}

Checkpoint TextSession::kept_checkpoint() {
  if (const Checkpoint* best = best_.kept_snapshot()) return *best;
  return checkpoint();
}

void TextSession::sample_best_into(std::string& text, const std::string& prime, int length, float temperature,
                                   std::uint32_t seed) {
  if (!best_.has_best() || best_.best_step() == steps()) return sample_into(text, prime, length, temperature, seed);
  if (!best_sampler_) best_sampler_ = std::make_unique<TextSession>(best_.best(), "the best model", "", 1);
  best_sampler_->sample_into(text, prime, length, temperature, seed);
}

std::string TextSession::sample(const std::string& prime, int length, float temperature, std::uint32_t seed) {
  std::string text;
  sample_into(text, prime, length, temperature, seed);
  return text;
}

void TextSession::sample_into(std::string& text, const std::string& prime, int length, float temperature,
                              std::uint32_t seed) {
  save_state();
  try {
    sample_text(model_, vocabulary_, pool_, {prime, length, temperature, seed}, sample_buffers_, text);
  } catch (...) {
    restore_state();
    throw;
  }
  restore_state();
}

TextCorpusStats TextSession::corpus_stats() const {
  TextCorpusStats stats;
  stats.vocabulary_size = vocabulary_.size();
  if (!corpus_) return stats;
  stats.bytes = static_cast<int>(corpus_->bytes);
  stats.train_characters = static_cast<int>(corpus_->train.size());
  stats.validation_characters = static_cast<int>(corpus_->validation.size());
  stats.characters = stats.train_characters + stats.validation_characters;
  stats.chunks_per_epoch = batcher_->chunks_per_epoch();
  return stats;
}

// Copies into tensors kept from the last call: a copy assignment reuses their storage.
void TextSession::save_state() {
  const std::vector<Tensor*>& state = model_.state();
  saved_state_.resize(state.size());
  for (std::size_t i = 0; i < state.size(); ++i) saved_state_[i] = *state[i];
}

void TextSession::restore_state() {
  const std::vector<Tensor*>& state = model_.state();
  for (std::size_t i = 0; i < state.size(); ++i) *state[i] = saved_state_[i];
}

}  // namespace profundo
