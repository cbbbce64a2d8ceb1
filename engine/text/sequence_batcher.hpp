// Cuts a text into [T, N] chunks for truncated BPTT (the char-rnn scheme): the text is split into N
// contiguous streams, and chunk c holds characters [c·T, (c+1)·T) of every stream, so that row n of
// chunk c+1 continues row n of chunk c and the hidden state can be carried from one to the next.
// Targets are the inputs shifted by one character.
#pragma once

#include <vector>

namespace profundo {

class SequenceBatcher {
 public:
  // Throws std::invalid_argument when the text is shorter than N·T + 1 characters.
  SequenceBatcher(const std::vector<int>& text, int steps, int batch);

  int steps() const { return steps_; }
  int batch() const { return batch_; }
  int chunks_per_epoch() const { return chunks_; }
  int next_chunk() const { return next_chunk_; }
  void set_next_chunk(int chunk);

  // Fills inputs and targets ([T, N] row-major) with the next chunk and returns true when it is the
  // first of an epoch (the carried state must then start from zeros).
  bool next(std::vector<int>& inputs, std::vector<int>& targets);

 private:
  const std::vector<int>& text_;
  int steps_;
  int batch_;
  std::size_t stream_length_;
  int chunks_;
  int next_chunk_ = 0;
};

}  // namespace profundo
