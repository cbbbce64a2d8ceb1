// Training an image classifier end to end: the train/dev split, normalisation, per-epoch shuffling,
// one mini-batch at a time, and evaluation. The command-line trainer and the browser worker both
// drive this class, so a seed gives the same run in both. It also keeps the run's model: the best
// epoch's on the dev split (training.keep, training.patience), never chosen on test.
#pragma once

#include "data/augmentation.hpp"
#include "data/data_config.hpp"
#include "data/image_set.hpp"
#include "model/model.hpp"
#include "persist/checkpoint.hpp"
#include "train/best_checkpoint.hpp"
#include "train/trainer.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

namespace profundo {

enum class Split { train, dev, test };

struct BatchReport {
  int epoch = 0;              // 0-based epoch of this batch
  int batch = 0;              // 0-based index within the epoch
  int batches_per_epoch = 0;
  int step = 0;               // optimiser steps so far
  int samples = 0;            // samples in this batch
  float loss = 0.0f;          // J on this batch (with the L2 term)
  float learning_rate = 0.0f;
  float grad_norm = 0.0f;     // global gradient norm before clipping
  bool clipped = false;       // whether clipping scaled the gradients
  bool epoch_finished = false;
};

// A misclassified example: which one, what it is, what the model said and how sure it was.
struct Mistake {
  int index = 0;            // position in the evaluated split's image set
  int label = 0;
  int predicted = 0;
  float confidence = 0.0f;  // softmax probability of the predicted class
};

struct Evaluation {
  int count = 0;
  float loss = 0.0f;      // mean cross-entropy (no L2 term)
  float accuracy = 0.0f;  // fraction in [0, 1]
  int classes = 0;
  std::vector<int> confusion;             // [true class][predicted class], row-major classes x classes
  std::vector<float> per_class_accuracy;  // recall of each class: confusion[c][c] / Σ_p confusion[c][p]
  std::vector<Mistake> mistakes;          // the most confidently wrong examples, most confident first
};

// Images per forward pass when a session evaluates a split: 1,000, or fewer (at least 32) when the
// model's layer outputs for 1,000 images would take more than 64 MB.
int evaluation_chunk(const Model& model);

class ClassifierSession {
 public:
  ClassifierSession(const ModelSpec& model_spec, const TrainConfig& train_config, const DataConfig& data_config,
                    std::shared_ptr<const ImageSet> train_set, std::shared_ptr<const ImageSet> test_set,
                    int threads);
  // Continues a saved run exactly where it stopped (bit-identical with the same thread count):
  // model, settings, weights, optimiser state, progress and random streams come from `saved`.
  // `source` names the file in errors, e.g. when it was trained on another dataset.
  ClassifierSession(const Checkpoint& saved, const std::string& source, std::shared_ptr<const ImageSet> train_set,
                    std::shared_ptr<const ImageSet> test_set, int threads);

  // Everything needed to resume, or to use the trained model elsewhere.
  Checkpoint checkpoint();
  // The run's curves as its driver recorded them (the page's epoch metrics and loss curve): JSON the
  // engine does not interpret, saved as the header's "history" and read back on resume, so a reopened
  // file shows its curves. Throws std::invalid_argument when `json_text` is not JSON.
  void set_history_json(const std::string& json_text);
  const nlohmann::json& history() const { return history_; }
  // Trains on until `epochs` epochs in all (e.g. more epochs for a resumed run); patience counts afresh.
  void set_epochs(int epochs);

  // One optimiser step on the next mini-batch of the shuffled training split.
  BatchReport train_next_batch();
  // All epochs trained, or training.patience epochs in a row without a better dev accuracy.
  bool finished() const { return epoch_ >= train_config_.epochs || best_.should_stop(); }
  int epoch() const { return epoch_; }
  int batches_per_epoch() const;

  // Loss, accuracy, confusion matrix and the `keep_mistakes` most confidently wrong examples, over
  // the whole split or, with max_samples > 0, over its first max_samples images (a fixed random
  // subset for the train split, whose order comes from the seeded split).
  Evaluation evaluate(Split split, int keep_mistakes = 0, int max_samples = 0);
  // The same into a caller-owned Evaluation, whose vectors keep their storage: evaluating again
  // allocates nothing.
  void evaluate_into(Evaluation& evaluation, Split split, int keep_mistakes = 0, int max_samples = 0);
  // Offers the model as it is now, with its accuracy on the dev split (after an epoch), to the run's
  // keeper; true when it is the best so far. Lower dev error = higher dev accuracy.
  bool offer_dev(float dev_accuracy);
  // Whether the run ends with its best epoch: training.keep = best and there is a dev split to choose with.
  bool keeps_best() const { return best_.keeps_best() && dev_count() > 0; }
  const BestCheckpoint& best() const { return best_; }
  int best_epoch() const { return best_epoch_; }
  float best_dev_accuracy() const { return best_dev_accuracy_; }
  float last_dev_accuracy() const { return last_dev_accuracy_; }
  // The epoch of the model the run ends with.
  int kept_epoch() const { return keeps_best() && best_.has_best() ? best_epoch_ : epoch_; }
  // That model, saved: the best epoch's snapshot or the current state.
  Checkpoint kept_checkpoint();
  // Puts that model in place (the best epoch's weights, optimiser state and progress, from its
  // snapshot), so that testing, predictions and saving use the model the dev split chose. The best
  // and last dev accuracies are still reported.
  void restore_kept();

  // Class probabilities for one image in the dataset's pixel format (uint8, C*H*W values).
  std::vector<float> predict_pixels(const std::vector<std::uint8_t>& pixels);

  Model& model() { return model_; }
  Trainer& trainer() { return trainer_; }
  const TrainConfig& train_config() const { return train_config_; }
  const DataConfig& data_config() const { return data_config_; }
  // Progress: epochs finished, and samples of the current epoch already trained on.
  int next_in_epoch() const { return next_in_epoch_; }
  // The images of a split, as indices into its image set (train and dev: the seeded split).
  const std::vector<int>& split_indices(Split split) const { return indices_of(split); }
  // The image set a split's indices point into (the training set for train and dev).
  const ImageSet& image_set(Split split) const {
    if (split == Split::test && !test_set_) throw std::logic_error("no test set was given");
    return split == Split::test ? *test_set_ : *train_set_;
  }
  const Normalization& normalization() const { return normalization_; }
  // Inputs normalised as given instead of as fitted on the training split: for weights trained
  // elsewhere (an imported ONNX model), which expect their own normalisation.
  void set_normalization(const Normalization& normalization) { normalization_ = normalization; }
  // The training set's name, e.g. "mnist-train".
  const std::string& dataset_name() const { return train_set_->name; }
  int train_count() const { return static_cast<int>(train_indices_.size()); }
  int dev_count() const { return static_cast<int>(dev_indices_.size()); }
  int threads() const { return pool_.threads(); }
  ThreadPool& pool() { return pool_; }

 private:
  const std::vector<int>& indices_of(Split split) const;
  int batch_length(int start) const;

  void restore(const Checkpoint& saved, const std::string& source);

  TrainConfig train_config_;
  DataConfig data_config_;
  nlohmann::json history_;  // null: none recorded (files saved before the history existed)
  std::shared_ptr<const ImageSet> train_set_, test_set_;
  ThreadPool pool_;
  Model model_;
  Trainer trainer_;
  std::vector<int> train_indices_, dev_indices_, test_indices_;
  Normalization normalization_;
  Random shuffle_rng_;
  Augmenter augmenter_;
  Random augment_rng_;
  std::vector<int> epoch_order_;
  int epoch_ = 0;
  int next_in_epoch_ = 0;
  int batch_in_epoch_ = 0;
  Tensor batch_x_, batch_y_;  // the mini-batch being trained on, or the chunk being evaluated
  Tensor probabilities_;      // the evaluated chunk's class probabilities
  std::vector<Mistake> mistakes_;  // every mistake of an evaluation, before keeping the most confident
  BestCheckpoint best_;
  int best_epoch_ = 0;
  float best_dev_accuracy_ = 0.0f, last_dev_accuracy_ = 0.0f;
  int evaluation_chunk_;  // images per forward pass when evaluating a split
};

}  // namespace profundo
