// A character-level language model: embedding, a stack of recurrent layers (RNN, GRU or LSTM) with
// inverted dropout between them, and a dense softmax head at every time step.
//   inputs [T, N] indices -> embedding [T, N, E] -> layer 1 [T, N, H] -> dropout -> ... -> layer L
//   -> logits [T·N, V] -> mean cross-entropy against the next characters (nats per character)
#pragma once

#include "layers/dropout.hpp"
#include "sequence/embedding.hpp"
#include "sequence/recurrent_layer.hpp"
#include "sequence/softmax_head.hpp"

#include <memory>
#include <string>
#include <vector>

namespace profundo {

struct SequenceModelSpec {
  std::string cell = "lstm";  // rnn, gru or lstm
  int vocabulary_size = 0;    // V, from the corpus
  int embedding_size = 64;    // E
  int hidden_size = 256;      // H, the same in every layer
  int layers = 1;
  float dropout = 0.0f;       // p between stacked recurrent layers (none after the last)
};

// Throws std::invalid_argument naming the field ("model.hidden_size must be in [1, 4096], got 0").
void validate(const SequenceModelSpec& spec);
std::unique_ptr<RecurrentLayer> make_recurrent_layer(const std::string& cell, int input_size, int hidden_size);

class SequenceModel {
 public:
  explicit SequenceModel(const SequenceModelSpec& spec);
  // Not copied or moved: parameters() points into the model's own members.
  SequenceModel(const SequenceModel&) = delete;
  SequenceModel& operator=(const SequenceModel&) = delete;
  const SequenceModelSpec& spec() const { return spec_; }

  // inputs: T·N indices ([T, N] row-major) -> logits [T·N, V]. Starts from the carried state.
  const Tensor& forward(const std::vector<int>& inputs, int steps, int batch, RunContext& context);
  // Mean cross-entropy of the last forward's logits against T·N target indices.
  double loss(const std::vector<int>& targets) { return head_.loss(targets); }
  // Backpropagation through time from the last loss(); gradients accumulate.
  void backward(RunContext& context);

  // Order: embedding, layer 1 … layer L, head (the optimiser and checkpoints index by it). Built
  // once with the model, so a training step does not rebuild the list and its names.
  std::vector<Parameter>& parameters() { return parameters_; }
  long long parameter_count();
  void initialize(Random& rng);
  void zero_grad();

  // Every layer's carried state in order ({h} or {h, c} per layer), each [N, H]. Listed once with
  // the model, so saving the state around a sample does not rebuild the list.
  const std::vector<Tensor*>& state() { return state_; }
  void reset_state(int batch);
  RecurrentLayer& recurrent_layer(int index) { return *layers_.at(static_cast<std::size_t>(index)); }
  // For the gradient check: dropout keeps its last masks instead of drawing new ones.
  void freeze_dropout_masks(bool frozen);

 private:
  SequenceModelSpec spec_;
  Embedding embedding_;
  std::vector<std::unique_ptr<RecurrentLayer>> layers_;
  std::vector<std::unique_ptr<Dropout>> dropouts_;  // after every layer but the last
  SoftmaxHead head_;
  std::vector<Parameter> parameters_;
  std::vector<Tensor*> state_;
};

}  // namespace profundo
