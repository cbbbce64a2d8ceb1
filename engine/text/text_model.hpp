// The text lab's character model and training settings, built from a TextConfig as an ordinary
// ModelSpec and TrainConfig, so that Model and Trainer run it like any other model:
//   indices [T, N] -> embedding [T, N, E] -> rnn/gru/lstm [T, N, H] -> (dropout) -> ... -> last layer
//   -> dense [T, N, V] per time step -> sparse softmax cross-entropy against the next characters
#pragma once

#include "model/model_spec.hpp"
#include "text/text_config.hpp"
#include "train/train_config.hpp"

namespace profundo {

// Where the text model's dropout layers (p = TextConfig::dropout) sit; any combination. The default
// is the lab's original placement, between stacked recurrent layers (none with one layer).
struct TextDropoutPlacement {
  bool after_embedding = false;
  bool between_layers = true;
  bool before_head = false;
};

ModelSpec text_model_spec(const TextConfig& config, int vocabulary_size, const TextDropoutPlacement& dropout = {});
// batch_size is N (the streams); epochs are not used (a text run is counted in steps).
TrainConfig text_train_config(const TextConfig& config);

}  // namespace profundo
