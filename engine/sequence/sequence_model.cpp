#include "sequence/sequence_model.hpp"

#include "sequence/gru.hpp"
#include "sequence/lstm.hpp"
#include "sequence/rnn.hpp"

#include <stdexcept>

namespace profundo {

namespace {

void require_range(const char* field, int value, int low, int high) {
  if (value < low || value > high)
    throw std::invalid_argument(std::string("model.") + field + " must be in [" + std::to_string(low) + ", " +
                                std::to_string(high) + "], got " + std::to_string(value));
}

}  // namespace

void validate(const SequenceModelSpec& spec) {
  if (spec.cell != "rnn" && spec.cell != "gru" && spec.cell != "lstm")
    throw std::invalid_argument("model.cell must be rnn, gru or lstm, got '" + spec.cell + "'");
  require_range("vocabulary_size", spec.vocabulary_size, 1, 1 << 20);
  require_range("embedding_size", spec.embedding_size, 1, 4096);
  require_range("hidden_size", spec.hidden_size, 1, 4096);
  require_range("layers", spec.layers, 1, 8);
  if (!(spec.dropout >= 0.0f && spec.dropout < 1.0f))  // written so that NaN fails too
    throw std::invalid_argument("model.dropout must be in [0, 1), got " + std::to_string(spec.dropout));
}

std::unique_ptr<RecurrentLayer> make_recurrent_layer(const std::string& cell, int input_size, int hidden_size) {
  if (cell == "rnn") return std::make_unique<Rnn>(input_size, hidden_size);
  if (cell == "gru") return std::make_unique<Gru>(input_size, hidden_size);
  if (cell == "lstm") return std::make_unique<Lstm>(input_size, hidden_size);
  throw std::invalid_argument("model.cell must be rnn, gru or lstm, got '" + cell + "'");
}

SequenceModel::SequenceModel(const SequenceModelSpec& spec)
    : spec_((validate(spec), spec)), embedding_(spec.vocabulary_size, spec.embedding_size),
      head_(spec.hidden_size, spec.vocabulary_size) {
  for (int l = 0; l < spec.layers; ++l) {
    layers_.push_back(make_recurrent_layer(spec.cell, l == 0 ? spec.embedding_size : spec.hidden_size, spec.hidden_size));
    if (l + 1 < spec.layers) dropouts_.push_back(std::make_unique<Dropout>(Shape{spec.hidden_size}, spec.dropout));
  }
  parameters_ = embedding_.parameters();
  for (std::size_t l = 0; l < layers_.size(); ++l)
    for (Parameter p : layers_[l]->parameters()) {
      p.name = "layers." + std::to_string(l) + "." + p.name;
      parameters_.push_back(p);
    }
  for (Parameter p : head_.parameters()) {
    p.name = "head." + p.name;
    parameters_.push_back(p);
  }
  parameters_.front().name = "embedding.weight";
  for (auto& layer : layers_)
    for (Tensor& s : layer->state()) state_.push_back(&s);  // the layers never resize their state lists
}

const Tensor& SequenceModel::forward(const std::vector<int>& inputs, int steps, int batch, RunContext& context) {
  const Tensor* x = &embedding_.forward(inputs, steps, batch);
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    x = &layers_[l]->forward(*x, context);
    if (l < dropouts_.size()) x = &dropouts_[l]->forward(*x, context);
  }
  return head_.logits(*x, context);
}

void SequenceModel::backward(RunContext& context) {
  const Tensor* dy = &head_.backward(context);
  for (std::size_t l = layers_.size(); l-- > 0;) {
    if (l < dropouts_.size()) dy = &dropouts_[l]->backward(*dy, context);
    dy = &layers_[l]->backward(*dy, context);
  }
  embedding_.backward(*dy);
}

long long SequenceModel::parameter_count() {
  long long count = 0;
  for (const Parameter& p : parameters()) count += static_cast<long long>(p.value->size());
  return count;
}

void SequenceModel::initialize(Random& rng) {
  embedding_.initialize(rng);
  for (auto& layer : layers_) layer->initialize(rng);
  head_.initialize(rng);
  zero_grad();
}

void SequenceModel::zero_grad() {
  for (Parameter& p : parameters()) p.grad->set_zero();
}

void SequenceModel::reset_state(int batch) {
  for (auto& layer : layers_) layer->reset_state(batch);
}

void SequenceModel::freeze_dropout_masks(bool frozen) {
  for (auto& dropout : dropouts_) dropout->freeze_mask(frozen);
}

}  // namespace profundo
