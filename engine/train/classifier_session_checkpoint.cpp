// Saving a ClassifierSession to a Checkpoint and resuming from one: the model description,
// settings, weights, batch-norm statistics, optimiser state, progress within the epoch and every
// random stream, so that a resumed run continues bit for bit.
#include "train/classifier_session.hpp"

#include "core/json_fields.hpp"
#include "persist/random_json.hpp"
#include "train/config_json.hpp"

#include <stdexcept>

namespace profundo {

namespace {

constexpr const char* kCheckpointKind = "profundo-classifier";

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
  if (!history_.is_null()) saved.header["history"] = history_;
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

void ClassifierSession::set_history_json(const std::string& json_text) {
  nlohmann::json history = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (history.is_discarded()) throw std::invalid_argument("history: not JSON");
  history_ = std::move(history);
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
  using json_fields::checked_get;
  const auto steps = checked_get<long long>(progress.at("steps"), source + ": progress.steps");
  auto& optimizer_state = trainer_.optimizer().state();
  optimizer_state.clear();
  while (next < saved.tensors.size() && saved.tensors[next].first.rfind("optimizer.", 0) == 0)
    optimizer_state.push_back(saved.tensors[next++].second);
  trainer_.optimizer().set_steps(steps);
  normalization_ = normalization_from_json(header_field(saved, "normalization", source));
  epoch_ = checked_get<int>(progress.at("epoch"), source + ": progress.epoch");
  next_in_epoch_ = checked_get<int>(progress.at("next_in_epoch"), source + ": progress.next_in_epoch");
  batch_in_epoch_ = checked_get<int>(progress.at("batch_in_epoch"), source + ": progress.batch_in_epoch");
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
  if (saved.header.contains("history")) history_ = saved.header.at("history");  // older files have none
}

}  // namespace profundo
