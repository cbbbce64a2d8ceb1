// A character-level language-model run, what ClassifierSession is for images: the data source
// (corpus, vocabulary, train/validation split, batcher) and the metrics around a Model and its
// Trainer, which apply the schedule, L2, clipping and the divergence check. It offers training steps
// with truncated BPTT (the state carried across chunks, reset at the start of each pass), validation
// loss, sampling and save/resume (bit-identical with the same thread count). It also keeps the run's
// best model (lowest validation loss, text.keep and text.patience) for the CLI and the page alike.
#pragma once

#include "core/thread_pool.hpp"
#include "model/model.hpp"
#include "persist/checkpoint.hpp"
#include "text/corpus.hpp"
#include "text/sampler.hpp"
#include "text/sequence_batcher.hpp"
#include "text/text_config.hpp"
#include "train/best_checkpoint.hpp"
#include "train/trainer.hpp"

#include <memory>
#include <string>

namespace profundo {

// The result of train_steps(n).
struct TextTrainReport {
  double loss = 0.0;             // mean training data loss of these steps, nats per character (no L2 term)
  int steps = 0;                 // steps taken by this call
  int clipped = 0;               // of which had their gradients clipped
  double grad_norm = 0.0;        // global gradient norm of the last step, before clipping
  double step = 0.0;             // steps taken since the start of the run (double: crosses to JS as a number)
  double learning_rate = 0.0;    // α of the last step (from the schedule)
  int epoch = 0;                 // completed passes over the training text
  double clipped_fraction = 0.0; // clipped steps / steps since the start of the run
  double characters = 0.0;       // training characters processed since the start of the run
};

// One validation report of a run (TextSession::evaluate).
struct TextEvaluation {
  double validation_loss = 0.0;       // nats per character, of the model as training left it
  bool improved = false;              // the best so far: that model is now the best one
  double best_validation_loss = 0.0;  // the lowest so far (this one when improved)
  double best_step = 0.0;             // the step of that model (double: crosses to JS as a number)
  int reports_since_best = 0;
  bool should_stop = false;           // text.patience reports in a row without improvement
};

struct TextCorpusStats {
  int bytes = 0;
  int characters = 0;
  int vocabulary_size = 0;
  int train_characters = 0;
  int validation_characters = 0;
  int chunks_per_epoch = 0;
};

class TextSession {
 public:
  // `source` names the corpus in error messages (a file name).
  TextSession(const std::string& corpus_text, const TextConfig& config, int threads,
              const std::string& source = "corpus");
  // Resumes a saved run. With the corpus it was trained on, training continues exactly; with an
  // empty corpus_text the session can only sample and evaluate nothing (can_train() is false).
  TextSession(const Checkpoint& saved, const std::string& source, const std::string& corpus_text, int threads);

  // count ≥ 1 truncated-BPTT steps of seq_length characters on batch_size streams. Throws
  // TrainingDiverged when the loss stops being finite.
  TextTrainReport train_steps(int count);
  // Mean cross-entropy (nats per character) over the validation text, in eval mode (no dropout),
  // carrying the state across chunks; max_characters > 0 stops after about that many.
  double evaluate_validation(int max_characters);
  // The same, offered to the run's best-model keeper: a validation report. Throws TrainingDiverged
  // when the loss is NaN or infinite (the best model so far stays kept, and best() reports it).
  TextEvaluation evaluate(int max_characters);
  // Generated text (without the prime); the training state is left as it was.
  std::string sample(const std::string& prime, int length, float temperature, std::uint32_t seed);
  // The same into a caller-owned string (its storage is kept): no allocation once warmed up.
  void sample_into(std::string& text, const std::string& prime, int length, float temperature, std::uint32_t seed);
  // The same from the best model so far (the current one until a report has kept one).
  void sample_best_into(std::string& text, const std::string& prime, int length, float temperature, std::uint32_t seed);
  Checkpoint checkpoint();
  // The model the run ends with: the best one with text.keep = best (once kept), else the current one.
  Checkpoint kept_checkpoint();
  const BestCheckpoint& best() const { return best_; }
  // A resumed run may keep its model differently from the saved one (text.keep, text.patience):
  // the keeper starts afresh, before the run's first report.
  void keep_from_now(const std::string& keep, int patience);
  // The step of the model sample_best_into() samples from.
  long long best_model_step() const { return best_.has_best() ? best_.best_step() : steps(); }

  bool can_train() const { return corpus_ != nullptr; }
  const TextConfig& config() const { return config_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  TextCorpusStats corpus_stats() const;
  Model& model() { return model_; }
  Trainer& trainer() { return trainer_; }
  int threads() const { return pool_.threads(); }
  long long steps() const { return trainer_.steps(); }
  int epoch() const { return epoch_; }

 private:
  TextSession(const TextConfig& config, Vocabulary vocabulary, std::unique_ptr<Corpus> corpus, int threads);
  void require_corpus(const char* what) const;
  // The carried training state, set aside (into saved_state_) while validating or sampling.
  void save_state();
  void restore_state();
  void restore(const Checkpoint& saved, const std::string& source);

  TextConfig config_;
  Vocabulary vocabulary_;
  std::unique_ptr<Corpus> corpus_;  // null for a sampling-only session
  std::unique_ptr<SequenceBatcher> batcher_;
  ThreadPool pool_;
  Model model_;
  Trainer trainer_;
  int epoch_ = 0;
  long long clipped_steps_ = 0;
  std::vector<int> inputs_, targets_;
  Tensor batch_x_, batch_y_;  // the same chunk as [T, N] index tensors for the model and its loss
  // Kept between calls so that validation and sampling allocate nothing once warmed up.
  std::vector<Tensor> saved_state_;
  std::vector<int> validation_inputs_, validation_targets_;
  SampleBuffers sample_buffers_;
  BestCheckpoint best_;
  std::unique_ptr<TextSession> best_sampler_;  // a sampling-only session of best_.best(), made when first asked
};

}  // namespace profundo
