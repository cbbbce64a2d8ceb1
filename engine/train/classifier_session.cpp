#include "train/classifier_session.hpp"

#include "train/config_json.hpp"

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
      augment_rng_(train_config.seed, RandomStream::augmentation) {
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
  train_config_.epochs = epochs;
}

int ClassifierSession::batches_per_epoch() const {
  int batches = 0;
  for (int start = 0; start < train_count(); start += batch_length(start)) ++batches;
  return batches;
}

BatchReport ClassifierSession::train_next_batch() {
  if (finished()) throw std::logic_error("training has already finished all its epochs");
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
  if (split == Split::test && !test_set_) throw std::logic_error("no test set was given");
  const ImageSet& images = split == Split::test ? *test_set_ : *train_set_;
  const std::vector<int>& all_indices = indices_of(split);
  const std::size_t limit = max_samples > 0 ? std::min(all_indices.size(), static_cast<std::size_t>(max_samples))
                                            : all_indices.size();
  const std::vector<int> indices(all_indices.begin(), all_indices.begin() + static_cast<std::ptrdiff_t>(limit));
  const int classes = images.classes;
  Evaluation evaluation;
  evaluation.classes = classes;
  evaluation.confusion.assign(static_cast<std::size_t>(classes * classes), 0);
  RunContext context{pool_, Mode::eval, nullptr};
  constexpr int kChunk = 1000;
  double loss_sum = 0.0;
  int correct = 0;
  Tensor x, one_hot, probabilities;
  std::vector<Mistake> mistakes;
  for (std::size_t begin = 0; begin < indices.size(); begin += kChunk) {
    const int n = static_cast<int>(std::min<std::size_t>(kChunk, indices.size() - begin));
    fill_batch(images, indices.data() + begin, n, normalization_, x, one_hot);
    const Tensor& logits = model_.forward(x, context);
    loss_sum += static_cast<double>(model_.loss().forward(logits, one_hot)) * n;
    model_.loss().predict(logits, probabilities);
    const auto p = probabilities.matrix();
    for (int i = 0; i < n; ++i) {
      Eigen::Index predicted = 0;
      const float confidence = p.row(i).maxCoeff(&predicted);
      const int index = indices[begin + static_cast<std::size_t>(i)];
      const int truth = images.labels[static_cast<std::size_t>(index)];
      ++evaluation.confusion[static_cast<std::size_t>(truth * classes + predicted)];
      if (predicted == truth) ++correct;
      else if (keep_mistakes > 0) mistakes.push_back({index, truth, static_cast<int>(predicted), confidence});
    }
  }
  evaluation.count = static_cast<int>(indices.size());
  if (evaluation.count > 0) {
    evaluation.loss = static_cast<float>(loss_sum / evaluation.count);
    evaluation.accuracy = static_cast<float>(correct) / static_cast<float>(evaluation.count);
  }
  for (int c = 0; c < classes; ++c) {
    int total = 0;
    for (int q = 0; q < classes; ++q) total += evaluation.confusion[static_cast<std::size_t>(c * classes + q)];
    const int hits = evaluation.confusion[static_cast<std::size_t>(c * classes + c)];
    evaluation.per_class_accuracy.push_back(total > 0 ? static_cast<float>(hits) / static_cast<float>(total) : 0.0f);
  }
  const std::size_t keep = std::min(mistakes.size(), static_cast<std::size_t>(std::max(keep_mistakes, 0)));
  std::partial_sort(mistakes.begin(), mistakes.begin() + static_cast<std::ptrdiff_t>(keep), mistakes.end(),
                    [](const Mistake& a, const Mistake& b) {
                      return a.confidence != b.confidence ? a.confidence > b.confidence : a.index < b.index;
                    });
  mistakes.resize(keep);
  evaluation.mistakes = std::move(mistakes);
  return evaluation;
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


// ---- saving and resuming -----------------------------------------------------------------------

namespace {

constexpr const char* kCheckpointKind = "profundo-classifier";

nlohmann::json random_to_json(const Random& rng) {
  const Random::State state = rng.save_state();
  return {state.state, state.increment, state.has_spare_normal, state.spare_normal};
}

void random_from_json(const nlohmann::json& json, Random& rng, const std::string& where) {
  if (!json.is_array() || json.size() != 4) throw std::invalid_argument(where + ": expected 4 numbers");
  rng.restore_state({json[0].get<std::uint64_t>(), json[1].get<std::uint64_t>(), json[2].get<bool>(),
                     json[3].get<double>()});
}

Tensor indices_tensor(const std::vector<int>& indices) {
  Tensor tensor({static_cast<int>(indices.size())});  // exact: indices stay far below 2^24
  for (std::size_t i = 0; i < indices.size(); ++i) tensor[i] = static_cast<float>(indices[i]);
  return tensor;
}

const nlohmann::json& header_field(const Checkpoint& saved, const char* key, const std::string& source) {
  if (!saved.header.is_object() || !saved.header.contains(key))
    throw std::invalid_argument(source + ": not a saved classifier (no '" + key + "' in its header)");
  return saved.header.at(key);
}

}  // namespace

Checkpoint ClassifierSession::checkpoint() {
  Checkpoint saved;
  saved.header = {{"kind", kCheckpointKind},
                  {"dataset", train_set_->name},
                  {"model", to_json(model_.spec())},
                  {"training", to_json(train_config_)},
                  {"data", to_json(data_config_)},
                  {"normalization", to_json(normalization_)},
                  {"progress",
                   {{"epoch", epoch_},
                    {"next_in_epoch", next_in_epoch_},
                    {"batch_in_epoch", batch_in_epoch_},
                    {"steps", trainer_.optimizer().steps()}}},
                  {"random",
                   {{"shuffling", random_to_json(shuffle_rng_)},
                    {"dropout", random_to_json(trainer_.dropout_rng())},
                    {"augmentation", random_to_json(augment_rng_)}}}};
  int index = 0;
  for (auto& layer : model_.layers()) {
    for (auto& parameter : layer->parameters())
      saved.tensors.emplace_back("layers." + std::to_string(index) + "." + parameter.name, *parameter.value);
    int buffer = 0;
    for (Tensor* tensor : layer->buffers())
      saved.tensors.emplace_back("layers." + std::to_string(index) + ".buffer" + std::to_string(buffer++), *tensor);
    ++index;
  }
  int state = 0;
  for (const Tensor& tensor : trainer_.optimizer().state())
    saved.tensors.emplace_back("optimizer." + std::to_string(state++), tensor);
  if (next_in_epoch_ > 0) saved.tensors.emplace_back("epoch_order", indices_tensor(epoch_order_));
  return saved;
}

ClassifierSession::ClassifierSession(const Checkpoint& saved, const std::string& source,
                                     std::shared_ptr<const ImageSet> train_set,
                                     std::shared_ptr<const ImageSet> test_set, int threads)
    : ClassifierSession(
          [&] {
            if (header_field(saved, "kind", source) != kCheckpointKind)
              throw std::invalid_argument(source + ": not a saved classifier");
            return model_spec_from_json(header_field(saved, "model", source));
          }(),
          train_config_from_json(header_field(saved, "training", source)),
          data_config_from_json(header_field(saved, "data", source)), train_set, std::move(test_set), threads) {
  const std::string dataset = header_field(saved, "dataset", source).get<std::string>();
  if (dataset != train_set->name)
    throw std::invalid_argument(source + ": this model was trained on " + dataset + ", not on " + train_set->name);
  try {
    restore(saved, source);
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(source + ": damaged header (" + error.what() + ")");
  }
}

void ClassifierSession::restore(const Checkpoint& saved, const std::string& source) {
  std::size_t next = 0;
  const auto take = [&](const Shape& shape, const std::string& what) -> const Tensor& {
    if (next >= saved.tensors.size()) throw std::invalid_argument(source + ": missing " + what);
    const auto& [name, tensor] = saved.tensors[next++];
    if (tensor.shape() != shape)
      throw std::invalid_argument(source + ": " + name + " has shape " + to_string(tensor.shape()) + ", expected " +
                                  to_string(shape));
    return tensor;
  };
  for (auto& layer : model_.layers()) {
    for (auto& parameter : layer->parameters()) *parameter.value = take(parameter.value->shape(), "parameters");
    for (Tensor* buffer : layer->buffers()) *buffer = take(buffer->shape(), "batch-norm statistics");
  }
  const auto& progress = header_field(saved, "progress", source);
  const auto steps = progress.at("steps").get<long long>();
  auto& optimizer_state = trainer_.optimizer().state();
  optimizer_state.clear();
  while (next < saved.tensors.size() && saved.tensors[next].first.rfind("optimizer.", 0) == 0)
    optimizer_state.push_back(saved.tensors[next++].second);
  trainer_.optimizer().set_steps(steps);
  normalization_ = normalization_from_json(header_field(saved, "normalization", source));
  epoch_ = progress.at("epoch").get<int>();
  next_in_epoch_ = progress.at("next_in_epoch").get<int>();
  batch_in_epoch_ = progress.at("batch_in_epoch").get<int>();
  if (next_in_epoch_ < 0 || next_in_epoch_ >= train_count() || epoch_ < 0)
    throw std::invalid_argument(source + ": progress out of range");
  if (next_in_epoch_ > 0) {
    const Tensor& order = take({train_count()}, "the epoch's sample order");
    epoch_order_.resize(static_cast<std::size_t>(train_count()));
    for (std::size_t i = 0; i < epoch_order_.size(); ++i) epoch_order_[i] = static_cast<int>(order[i]);
  }
  const auto& random = header_field(saved, "random", source);
  random_from_json(random.at("shuffling"), shuffle_rng_, source + ": random.shuffling");
  random_from_json(random.at("dropout"), trainer_.dropout_rng(), source + ": random.dropout");
  random_from_json(random.at("augmentation"), augment_rng_, source + ": random.augmentation");
}

}  // namespace profundo
