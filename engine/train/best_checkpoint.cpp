#include "train/best_checkpoint.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace profundo {

BestCheckpoint::BestCheckpoint(int patience, bool keep_best)
    : patience_(patience), keep_best_(keep_best) {
  if (patience < 0) throw std::invalid_argument("patience must be zero (off) or positive, got " + std::to_string(patience));
}

bool BestCheckpoint::offer(double score, long long step, FunctionRef<Checkpoint()> snapshot) {
  if (!std::isfinite(score) || (best_ && !(score < best_score_))) {
    ++evaluations_since_best_;
    return false;
  }
  best_ = snapshot();
  best_score_ = score;
  best_step_ = step;
  evaluations_since_best_ = 0;
  return true;
}

double BestCheckpoint::best_score() const {
  best();  // throws when there is none
  return best_score_;
}

long long BestCheckpoint::best_step() const {
  best();
  return best_step_;
}

const Checkpoint& BestCheckpoint::best() const {
  if (!best_) throw std::logic_error("no evaluation has been kept yet (every score so far was NaN or infinite)");
  return *best_;
}

}  // namespace profundo
