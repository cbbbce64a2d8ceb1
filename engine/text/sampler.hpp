// Generating text from a character model: the priming text is run through the network (one chunk),
// then each next character is drawn from softmax(z / temperature) and fed back in. Temperature 0
// means greedy (argmax); the same seed always gives the same text (RandomStream::sampling).
#pragma once

#include "model/model.hpp"
#include "text/vocabulary.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace profundo {

struct SampleRequest {
  std::string_view prime;   // may be empty: generation then starts after a line break (or V's first character)
  int length = 200;         // characters to generate, in [0, 100000]
  float temperature = 1.0f; // 0 = greedy; otherwise in (0, 10]
  std::uint32_t seed = 1;
};

// Kept by the caller between samples, so that sampling again (no longer prime, no more characters)
// allocates nothing.
struct SampleBuffers {
  std::vector<int> input;             // the prime's indices, then the last drawn character
  Tensor input_tensor;                // the same as the model's [T, 1] input
  std::vector<int> generated;         // indices of the generated characters
  std::vector<double> probabilities;  // unnormalised softmax(z / temperature), V values
};

// Throws std::invalid_argument for a bad length or temperature, or a priming character outside the
// vocabulary (named). `model` is a sequence model with one index per step as input and logits over
// the vocabulary as output (text_model.hpp). Leaves the model's carried state reset to a batch of 1; the caller saves and
// restores it when it matters. Replaces `text` with the generated characters only (without the prime).
void sample_text(Model& model, const Vocabulary& vocabulary, ThreadPool& pool, const SampleRequest& request,
                 SampleBuffers& buffers, std::string& text);

}  // namespace profundo
