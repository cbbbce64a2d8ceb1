#include "text/sampler.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

namespace {

// Index drawn from softmax(z / temperature), or argmax z for temperature 0 (first maximum on ties).
// p: room for `classes` values.
int draw(const float* z, int classes, float temperature, Random& rng, double* p) {
  int best = 0;
  for (int k = 1; k < classes; ++k)
    if (z[k] > z[best]) best = k;
  if (temperature == 0.0f) return best;
  // In double, so native and wasm agree on the cumulative sums.
  double sum = 0.0;
  for (int k = 0; k < classes; ++k) sum += p[k] = std::exp((z[k] - z[best]) / static_cast<double>(temperature));
  double u = static_cast<double>(rng.uniform()) * sum;
  for (int k = 0; k < classes; ++k) {
    u -= p[k];
    if (u < 0.0) return k;
  }
  return best;  // rounding left u ≥ 0: fall back to the most likely
}

}  // namespace

void sample_text(Model& model, const Vocabulary& vocabulary, ThreadPool& pool, const SampleRequest& request,
                 SampleBuffers& buffers, std::string& text) {
  if (request.length < 0 || request.length > 100000)
    throw std::invalid_argument("sample length must be in [0, 100000], got " + std::to_string(request.length));
  if (!(request.temperature >= 0.0f && request.temperature <= 10.0f))
    throw std::invalid_argument("temperature must be in [0, 10] (0 = greedy), got " + std::to_string(request.temperature));
  std::vector<int>& input = buffers.input;
  vocabulary.encode_into(request.prime, "priming text", input);
  if (input.empty()) {
    const int newline = vocabulary.index_of(U'\n');
    input.push_back(newline >= 0 ? newline : 0);
  }
  Random rng(request.seed, RandomStream::sampling);
  RunContext run{pool, Mode::eval, nullptr};
  model.reset_state(1);
  const int classes = vocabulary.size();
  buffers.probabilities.resize(static_cast<std::size_t>(classes));
  const auto forward = [&]() -> const Tensor& {
    buffers.input_tensor.resize({static_cast<int>(input.size()), 1});
    for (std::size_t k = 0; k < input.size(); ++k) buffers.input_tensor[k] = static_cast<float>(input[k]);
    return model.forward(buffers.input_tensor, run);
  };
  const Tensor* logits = &forward();
  buffers.generated.clear();
  for (int i = 0; i < request.length; ++i) {
    const float* last = logits->data() + (logits->size() - static_cast<std::size_t>(classes));
    const int next = draw(last, classes, request.temperature, rng, buffers.probabilities.data());
    buffers.generated.push_back(next);
    if (i + 1 < request.length) {
      input.assign(1, next);
      logits = &forward();
    }
  }
  vocabulary.decode_into(buffers.generated, text);
}

}  // namespace profundo
