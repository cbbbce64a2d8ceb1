#include "train/classifier_session.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace profundo {

namespace {

const ModelSpec& checked_against_data(const ModelSpec& spec, const ImageSet& train_set) {
  const std::size_t model_inputs = element_count(spec.input);
  if (model_inputs != train_set.pixels_per_image())
    throw std::invalid_argument("model.input " + to_string(spec.input) + " does not fit the images of " +
                                train_set.name + ", which are " + to_string(train_set.image_shape()));
  return spec;
}

}  // namespace

// Images per chunk when evaluating a split: every layer keeps its output, so a chunk's activations
// take chunk × (the layers' outputs per image) floats. 1,000 images for the small models; fewer for
// the wide ones, whose 1,000-image chunks took 819 MiB of the page's heap (best) against 284 MiB for
// training. The wasm heap never shrinks, so this peak is the tab's for the rest of the session.
int evaluation_chunk(const Model& model) {
  constexpr std::size_t kActivationBudget = std::size_t{16} << 20;  // floats: 64 MB
  constexpr std::size_t kMostImages = 1000, kFewestImages = 32;
  std::size_t floats_per_image = 0;
  for (const LayerSummary& layer : model.summary()) floats_per_image += element_count(layer.output_shape);
  return static_cast<int>(std::clamp(kActivationBudget / std::max<std::size_t>(floats_per_image, 1), kFewestImages, kMostImages));
}

ClassifierSession::ClassifierSession(const ModelSpec& model_spec, const TrainConfig& train_config,
                                     const DataConfig& data_config, std::shared_ptr<const ImageSet> train_set,
                                     std::shared_ptr<const ImageSet> test_set, int threads)
    : train_config_(train_config),
      data_config_(data_config),
      train_set_(std::move(train_set)),
      test_set_(std::move(test_set)),
      pool_(threads),
      model_(checked_against_data(model_spec, *train_set_)),
      trainer_(model_, train_config, pool_),
      shuffle_rng_(train_config.seed, RandomStream::shuffling),
      augmenter_(data_config.augment),
      augment_rng_(train_config.seed, RandomStream::augmentation),
      best_(train_config.patience, train_config.keep == "best"),
      evaluation_chunk_(evaluation_chunk(model_)) {
  const std::size_t outputs = element_count(model_.output_shape());
  if (static_cast<int>(outputs) != train_set_->classes)
    throw std::invalid_argument("the last layer has " + std::to_string(outputs) + " outputs but " + train_set_->name +
                                " has " + std::to_string(train_set_->classes) + " classes");
  if (model_spec.loss != "softmax_cross_entropy")
    throw std::invalid_argument("image classification needs the softmax_cross_entropy loss, got " + model_spec.loss);
  if (data_config.dev_size < 0 || data_config.dev_size >= train_set_->count)
    throw std::invalid_argument("dev_size must be between 0 and " + std::to_string(train_set_->count - 1) +
                                " (the training set has " + std::to_string(train_set_->count) + " images), got " +
                                std::to_string(data_config.dev_size));

  std::vector<int> all(static_cast<std::size_t>(train_set_->count));
  std::iota(all.begin(), all.end(), 0);
  Random split_rng(train_config.seed, RandomStream::data_split);
  split_rng.shuffle(all);
  dev_indices_.assign(all.begin(), all.begin() + data_config.dev_size);
  train_indices_.assign(all.begin() + data_config.dev_size, all.end());
  std::sort(dev_indices_.begin(), dev_indices_.end());
  if (test_set_) {
    test_indices_.resize(static_cast<std::size_t>(test_set_->count));
    std::iota(test_indices_.begin(), test_indices_.end(), 0);
  }
  normalization_ = fit_normalization(*train_set_, train_indices_, data_config.normalization);
  model_.initialize(train_config.seed);
}

// Consecutive slices of the shuffled training split; a last slice of a single sample is joined to
// the one before, since batch norm cannot estimate a variance from one sample.
int ClassifierSession::batch_length(int start) const {
  const int remaining = train_count() - start;
  const int n = std::min(train_config_.batch_size, remaining);
  const bool lone_sample_left = train_config_.batch_size > 1 && remaining - n == 1;
  return lone_sample_left ? n + 1 : n;
}

void ClassifierSession::set_epochs(int epochs) {
  if (epochs < 1) throw std::invalid_argument("epochs must be at least 1, got " + std::to_string(epochs));
  best_.restart_patience();  // a new target ("train more", a resumed run): an early stop no longer holds
  train_config_.epochs = epochs;
}

int ClassifierSession::batches_per_epoch() const {
  int batches = 0;
  for (int start = 0; start < train_count(); start += batch_length(start)) ++batches;
  return batches;
}

bool ClassifierSession::offer_dev(float dev_accuracy) {
  if (dev_count() == 0) return false;  // without a dev split there is nothing to choose with
  last_dev_accuracy_ = dev_accuracy;
  const bool improved = best_.offer(1.0 - dev_accuracy, trainer_.steps(), [&] { return checkpoint(); });
  if (improved) {
    best_epoch_ = epoch_;
    best_dev_accuracy_ = dev_accuracy;
  }
  return improved;
}

Checkpoint ClassifierSession::kept_checkpoint() {
  if (const Checkpoint* best = keeps_best() ? best_.kept_snapshot() : nullptr) return *best;
  return checkpoint();
}

void ClassifierSession::restore_kept() {
  if (kept_epoch() != epoch_) restore(best_.best(), "the best epoch");
}

BatchReport ClassifierSession::train_next_batch() {
  if (finished()) throw std::logic_error("training has already finished (all its epochs, or stopped early)");
  if (next_in_epoch_ == 0) {
    epoch_order_ = train_indices_;
    shuffle_rng_.shuffle(epoch_order_);
  }
  const int n = batch_length(next_in_epoch_);
  const int* indices = epoch_order_.data() + next_in_epoch_;
  if (augmenter_.config().enabled())
    fill_augmented_batch(*train_set_, indices, n, normalization_, augmenter_, augment_rng_, batch_x_, batch_y_, &pool_);
  else
    fill_batch(*train_set_, indices, n, normalization_, batch_x_, batch_y_);

  BatchReport report;
  report.epoch = epoch_;
  report.batch = batch_in_epoch_++;
  report.batches_per_epoch = batches_per_epoch();
  report.samples = n;
  StepResult result;
  try {
    result = trainer_.step(batch_x_, batch_y_);
  } catch (const TrainingDiverged& error) {
    throw TrainingDiverged("epoch " + std::to_string(epoch_ + 1) + ", batch " + std::to_string(report.batch + 1) +
                               ": " + error.what(),
                           error.step());
  }
  report.step = result.step;
  report.loss = result.loss;
  report.learning_rate = result.learning_rate;
  report.grad_norm = result.grad_norm;
  report.clipped = result.clipped;
  next_in_epoch_ += n;
  if (next_in_epoch_ >= train_count()) {
    next_in_epoch_ = 0;
    batch_in_epoch_ = 0;
    ++epoch_;
    report.epoch_finished = true;
  }
  return report;
}

const std::vector<int>& ClassifierSession::indices_of(Split split) const {
  if (split == Split::train) return train_indices_;
  if (split == Split::dev) return dev_indices_;
  return test_indices_;
}

Evaluation ClassifierSession::evaluate(Split split, int keep_mistakes, int max_samples) {
  Evaluation evaluation;
  evaluate_into(evaluation, split, keep_mistakes, max_samples);
  return evaluation;
}

void ClassifierSession::evaluate_into(Evaluation& evaluation, Split split, int keep_mistakes, int max_samples) {
  if (split == Split::test && !test_set_) throw std::logic_error("no test set was given");
  const ImageSet& images = split == Split::test ? *test_set_ : *train_set_;
  const std::vector<int>& all_indices = indices_of(split);
  const std::size_t count = max_samples > 0 ? std::min(all_indices.size(), static_cast<std::size_t>(max_samples))
                                            : all_indices.size();
  const int* indices = all_indices.data();  // the first `count` of them
  const int classes = images.classes;
  evaluation.classes = classes;
  evaluation.confusion.assign(static_cast<std::size_t>(classes * classes), 0);
  RunContext context{pool_, Mode::eval, nullptr};
  double loss_sum = 0.0;
  int correct = 0;
  mistakes_.clear();
  const auto chunk = static_cast<std::size_t>(evaluation_chunk_);
  for (std::size_t begin = 0; begin < count; begin += chunk) {
    const int n = static_cast<int>(std::min(chunk, count - begin));
    fill_batch(images, indices + begin, n, normalization_, batch_x_, batch_y_);
    const Tensor& logits = model_.forward(batch_x_, context);
    loss_sum += static_cast<double>(model_.loss().forward(logits, batch_y_)) * n;
    model_.loss().predict(logits, probabilities_);
    const auto p = probabilities_.matrix();
    for (int i = 0; i < n; ++i) {
      Eigen::Index predicted = 0;
      const float confidence = p.row(i).maxCoeff(&predicted);
      const int index = indices[begin + static_cast<std::size_t>(i)];
      const int truth = images.labels[static_cast<std::size_t>(index)];
      ++evaluation.confusion[static_cast<std::size_t>(truth * classes + predicted)];
      if (predicted == truth) ++correct;
      else if (keep_mistakes > 0) mistakes_.push_back({index, truth, static_cast<int>(predicted), confidence});
    }
  }
  evaluation.count = static_cast<int>(count);
  evaluation.loss = 0.0f;
  evaluation.accuracy = 0.0f;
  if (evaluation.count > 0) {
    evaluation.loss = static_cast<float>(loss_sum / evaluation.count);
    evaluation.accuracy = static_cast<float>(correct) / static_cast<float>(evaluation.count);
  }
  evaluation.per_class_accuracy.resize(static_cast<std::size_t>(classes));
  for (int c = 0; c < classes; ++c) {
    int total = 0;
    for (int q = 0; q < classes; ++q) total += evaluation.confusion[static_cast<std::size_t>(c * classes + q)];
    const int hits = evaluation.confusion[static_cast<std::size_t>(c * classes + c)];
    evaluation.per_class_accuracy[static_cast<std::size_t>(c)] =
        total > 0 ? static_cast<float>(hits) / static_cast<float>(total) : 0.0f;
  }
  const auto keep = static_cast<std::ptrdiff_t>(
      std::min(mistakes_.size(), static_cast<std::size_t>(std::max(keep_mistakes, 0))));
  std::partial_sort(mistakes_.begin(), mistakes_.begin() + keep, mistakes_.end(),
                    [](const Mistake& a, const Mistake& b) {
                      return a.confidence != b.confidence ? a.confidence > b.confidence : a.index < b.index;
                    });
  evaluation.mistakes.assign(mistakes_.begin(), mistakes_.begin() + keep);
}

std::vector<float> ClassifierSession::predict_pixels(const std::vector<std::uint8_t>& pixels) {
  if (pixels.size() != train_set_->pixels_per_image())
    throw std::invalid_argument("predict: expected " + std::to_string(train_set_->pixels_per_image()) + " pixels, got " +
                                std::to_string(pixels.size()));
  ImageSet single;
  single.count = 1;
  single.channels = train_set_->channels;
  single.height = train_set_->height;
  single.width = train_set_->width;
  single.classes = train_set_->classes;
  single.pixels = pixels;
  single.labels = {0};
  const int index = 0;
  Tensor x, one_hot, probabilities;
  fill_batch(single, &index, 1, normalization_, x, one_hot);
  RunContext context{pool_, Mode::eval, nullptr};
  model_.loss().predict(model_.forward(x, context), probabilities);
  return {probabilities.data(), probabilities.data() + probabilities.size()};
}

}  // namespace profundo
