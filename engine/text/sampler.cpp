#include "text/sampler.hpp"

#include <cmath>
#include <stdexcept>

namespace profundo {

namespace {

// Index drawn from softmax(z / temperature), or argmax z for temperature 0 (first maximum on ties).
int draw(const float* z, int classes, float temperature, Random& rng) {
  int best = 0;
  for (int k = 1; k < classes; ++k)
    if (z[k] > z[best]) best = k;
  if (temperature == 0.0f) return best;
  // In double, so native and wasm agree on the cumulative sums.
  std::vector<double> p(static_cast<std::size_t>(classes));
  double sum = 0.0;
  for (int k = 0; k < classes; ++k) sum += p[static_cast<std::size_t>(k)] = std::exp((z[k] - z[best]) / static_cast<double>(temperature));
  double u = static_cast<double>(rng.uniform()) * sum;
  for (int k = 0; k < classes; ++k) {
    u -= p[static_cast<std::size_t>(k)];
    if (u < 0.0) return k;
  }
  return best;  // rounding left u ≥ 0: fall back to the most likely
}

}  // namespace

std::string sample_text(SequenceModel& model, const Vocabulary& vocabulary, ThreadPool& pool,
                        const SampleRequest& request) {
  if (request.length < 0 || request.length > 100000)
    throw std::invalid_argument("sample length must be in [0, 100000], got " + std::to_string(request.length));
  if (!(request.temperature >= 0.0f && request.temperature <= 10.0f))
    throw std::invalid_argument("temperature must be in [0, 10] (0 = greedy), got " + std::to_string(request.temperature));
  std::vector<int> context = vocabulary.encode(request.prime, "priming text");
  if (context.empty()) {
    const int newline = vocabulary.index_of(U'\n');
    context.push_back(newline >= 0 ? newline : 0);
  }
  Random rng(request.seed, RandomStream::sampling);
  RunContext run{pool, Mode::eval, nullptr};
  model.reset_state(1);
  const int classes = vocabulary.size();
  const Tensor* logits = &model.forward(context, static_cast<int>(context.size()), 1, run);
  std::vector<int> generated;
  generated.reserve(static_cast<std::size_t>(request.length));
  std::vector<int> next(1);
  for (int i = 0; i < request.length; ++i) {
    const float* last = logits->data() + (logits->size() - static_cast<std::size_t>(classes));
    next[0] = draw(last, classes, request.temperature, rng);
    generated.push_back(next[0]);
    if (i + 1 < request.length) logits = &model.forward(next, 1, 1, run);
  }
  return vocabulary.decode(generated);
}

}  // namespace profundo
