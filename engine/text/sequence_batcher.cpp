#include "text/sequence_batcher.hpp"

#include <stdexcept>
#include <string>

namespace profundo {

SequenceBatcher::SequenceBatcher(const std::vector<int>& text, int steps, int batch)
    : text_(text), steps_(steps), batch_(batch) {
  if (steps < 1 || batch < 1) throw std::invalid_argument("sequence batcher: steps and batch must be positive");
  stream_length_ = text.empty() ? 0 : (text.size() - 1) / static_cast<std::size_t>(batch);
  chunks_ = static_cast<int>(stream_length_ / static_cast<std::size_t>(steps));
  if (chunks_ < 1)
    throw std::invalid_argument("the text has " + std::to_string(text.size()) + " characters, fewer than batch_size × " +
                                "seq_length + 1 = " + std::to_string(batch * steps + 1) +
                                "; use a longer text or smaller batch_size/seq_length");
}

void SequenceBatcher::set_next_chunk(int chunk) {
  if (chunk < 0 || chunk >= chunks_)
    throw std::invalid_argument("sequence batcher: chunk " + std::to_string(chunk) + " outside [0, " +
                                std::to_string(chunks_) + ")");
  next_chunk_ = chunk;
}

bool SequenceBatcher::next(std::vector<int>& inputs, std::vector<int>& targets) {
  const bool first = next_chunk_ == 0;
  const std::size_t offset = static_cast<std::size_t>(next_chunk_) * static_cast<std::size_t>(steps_);
  inputs.resize(static_cast<std::size_t>(steps_) * batch_);
  targets.resize(inputs.size());
  for (int t = 0; t < steps_; ++t)
    for (int n = 0; n < batch_; ++n) {
      const std::size_t at = static_cast<std::size_t>(n) * stream_length_ + offset + static_cast<std::size_t>(t);
      const std::size_t k = static_cast<std::size_t>(t) * batch_ + static_cast<std::size_t>(n);
      inputs[k] = text_[at];
      targets[k] = text_[at + 1];
    }
  next_chunk_ = (next_chunk_ + 1) % chunks_;
  return first;
}

}  // namespace profundo
