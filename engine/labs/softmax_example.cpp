#include "labs/softmax_example.hpp"

#include "core/tensor.hpp"
#include "layers/softmax.hpp"
#include "losses/loss.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace profundo {

SoftmaxReport softmax_report(const std::vector<float>& logits, int true_class) {
  const int classes = static_cast<int>(logits.size());
  if (classes == 0 || classes > 100) throw std::invalid_argument("softmax.logits must hold 1 to 100 values, got " + std::to_string(classes));
  for (int i = 0; i < classes; ++i)
    if (!std::isfinite(logits[static_cast<std::size_t>(i)]))
      throw std::invalid_argument("softmax.logits[" + std::to_string(i) + "] is not a finite number");
  if (true_class < 0 || true_class >= classes)
    throw std::invalid_argument("softmax.trueClass must be in [0, " + std::to_string(classes) + "), got " + std::to_string(true_class));

  Tensor z({1, classes});
  std::copy(logits.begin(), logits.end(), z.data());
  Tensor a({1, classes});
  softmax_rows(z.const_matrix(), a.matrix());

  SoftmaxReport report;
  report.softmax.assign(a.data(), a.data() + classes);
  report.predicted = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
  report.hardmax.assign(static_cast<std::size_t>(classes), 0.0f);
  report.hardmax[static_cast<std::size_t>(report.predicted)] = 1.0f;

  Tensor y({1, classes});
  y[static_cast<std::size_t>(true_class)] = 1.0f;
  report.loss = make_loss("softmax_cross_entropy")->forward(z, y);
  return report;
}

}  // namespace profundo
