#include "train/train_config.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace profundo {

void validate(const TrainConfig& config) {
  validate(config.optimizer);
  validate(config.schedule);
  if (config.batch_size < 1)
    throw std::invalid_argument("batch_size must be at least 1, got " + std::to_string(config.batch_size));
  if (config.epochs < 1) throw std::invalid_argument("epochs must be at least 1, got " + std::to_string(config.epochs));
  if (!(config.l2 >= 0.0f) || !std::isfinite(config.l2)) {
    std::ostringstream text;
    text << "l2 (lambda) must be zero or positive, got " << config.l2;
    throw std::invalid_argument(text.str());
  }
  if (!(config.clip_norm >= 0.0f) || !std::isfinite(config.clip_norm)) {
    std::ostringstream text;
    text << "clip_norm must be zero (off) or positive, got " << config.clip_norm;
    throw std::invalid_argument(text.str());
  }
}

}  // namespace profundo
