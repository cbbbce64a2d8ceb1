// The text lab's character model and training settings, built from a TextConfig as an ordinary
// ModelSpec and TrainConfig, so that Model and Trainer run it like any other model:
//   indices [T, N] -> embedding [T, N, E] -> (dropout) -> rnn/gru/lstm [T, N, H] -> (dropout) -> ...
//   -> last layer -> (dropout) -> dense [T, N, V] per time step -> sparse softmax cross-entropy against the next characters
#pragma once

#include "model/model_spec.hpp"
#include "text/text_config.hpp"
#include "train/train_config.hpp"

namespace profundo {

// Dropout layers (p = TextConfig::dropout) sit between stacked recurrent layers, and with
// dropout_embedding / dropout_head also on the embedding output and before the dense head.
ModelSpec text_model_spec(const TextConfig& config, int vocabulary_size);
// batch_size is N (the streams); epochs are not used (a text run is counted in steps).
TrainConfig text_train_config(const TextConfig& config);

}  // namespace profundo
