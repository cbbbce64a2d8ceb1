#include "text/text_model.hpp"

namespace profundo {

ModelSpec text_model_spec(const TextConfig& c, int vocabulary_size) {
  ModelSpec spec;
  spec.input = {1};  // one character index per step and stream
  spec.loss = "sparse_softmax_cross_entropy";
  LayerSpec dropout;
  dropout.type = "dropout";
  dropout.p = c.dropout;
  LayerSpec embedding;
  embedding.type = "embedding";
  embedding.vocabulary_size = vocabulary_size;
  embedding.units = c.embedding_size;
  spec.layers.push_back(embedding);
  if (c.dropout_embedding) spec.layers.push_back(dropout);
  for (int l = 0; l < c.layers; ++l) {
    if (l > 0) spec.layers.push_back(dropout);
    LayerSpec recurrent;
    recurrent.type = c.cell;
    recurrent.units = c.hidden_size;
    spec.layers.push_back(recurrent);
  }
  if (c.dropout_head) spec.layers.push_back(dropout);
  LayerSpec head;
  head.type = "dense";
  head.units = vocabulary_size;
  spec.layers.push_back(head);
  return spec;
}

TrainConfig text_train_config(const TextConfig& c) {
  TrainConfig training;
  training.optimizer = c.optimizer;
  training.schedule = c.schedule;
  training.batch_size = c.batch_size;
  training.l2 = c.l2;
  training.clip_norm = c.clip_norm;
  training.seed = c.seed;
  return training;
}

}  // namespace profundo
