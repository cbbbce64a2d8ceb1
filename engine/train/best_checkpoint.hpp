// Keeps the best model of a run, judged on the dev (validation) split — never on test: the dev set
// chooses the model, the test set only measures the chosen one. A longer run that starts to overfit
// then still ends with the model from its best evaluation, and `patience` can stop it early. The text
// and image sessions own one each (settings text.keep/patience, training.keep/patience), so the CLI
// and the page keep, report and stop alike.
#pragma once

#include "core/function_ref.hpp"
#include "persist/checkpoint.hpp"

#include <optional>

namespace profundo {

class BestCheckpoint {
 public:
  // patience: evaluations in a row without improvement after which should_stop() says so; 0 = never.
  // keep_best false: the run ends with its last model; the best is still tracked and reported.
  explicit BestCheckpoint(int patience = 0, bool keep_best = true);

  // Records one evaluation (lower is better: a loss, or 1 − accuracy). When it beats every earlier
  // one, `snapshot` is called to keep the model as it is now and offer() returns true. A NaN or
  // infinite score never improves; the caller decides whether it means the run diverged.
  bool offer(double score, long long step, FunctionRef<Checkpoint()> snapshot);

  bool has_best() const { return best_.has_value(); }
  bool keeps_best() const { return keep_best_; }
  // The model the run ends with when it is a snapshot (keep best, once one is kept); nullptr when it
  // is the live model as training left it.
  const Checkpoint* kept_snapshot() const { return keep_best_ && best_ ? &*best_ : nullptr; }
  double best_score() const;
  long long best_step() const;
  const Checkpoint& best() const;
  int evaluations_since_best() const { return evaluations_since_best_; }
  int patience() const { return patience_; }
  bool should_stop() const { return patience_ > 0 && evaluations_since_best_ >= patience_; }
  // Counts evaluations without improvement from zero again (a run given more epochs after it stopped).
  void restart_patience() { evaluations_since_best_ = 0; }

 private:
  int patience_;
  bool keep_best_;
  std::optional<Checkpoint> best_;
  double best_score_ = 0.0;
  long long best_step_ = 0;
  int evaluations_since_best_ = 0;
};

}  // namespace profundo
