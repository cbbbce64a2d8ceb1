#include "train/best_checkpoint.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace profundo;

namespace {
// A stand-in for the model: the checkpoint records which step it was taken at.
Checkpoint at_step(long long step) {
  Checkpoint checkpoint;
  checkpoint.header = {{"step", step}};
  return checkpoint;
}
}  // namespace

TEST_CASE("BestCheckpoint keeps the model of the lowest score and counts evaluations since", "[best]") {
  BestCheckpoint best(0);
  int snapshots = 0;
  const auto offer = [&](double score, long long step) {
    return best.offer(score, step, [&] {
      ++snapshots;
      return at_step(step);
    });
  };
  CHECK_FALSE(best.has_best());
  CHECK(offer(2.0, 100));
  CHECK(offer(1.5, 200));
  CHECK_FALSE(offer(1.6, 300));
  CHECK_FALSE(offer(1.5, 400));  // equal is not better: the earlier model is kept
  CHECK(snapshots == 2);
  CHECK(best.best_score() == 1.5);
  CHECK(best.best_step() == 200);
  CHECK(best.best().header.at("step") == 200);
  CHECK(best.evaluations_since_best() == 2);
  CHECK_FALSE(best.should_stop());  // patience 0: never
}

TEST_CASE("BestCheckpoint stops after `patience` evaluations without improvement", "[best]") {
  BestCheckpoint best(2);
  const auto offer = [&](double score, long long step) { return best.offer(score, step, [&] { return at_step(step); }); };
  offer(1.0, 1);
  offer(1.1, 2);
  CHECK_FALSE(best.should_stop());
  offer(0.9, 3);  // an improvement resets the count
  offer(1.2, 4);
  CHECK_FALSE(best.should_stop());
  offer(1.3, 5);
  CHECK(best.should_stop());
  CHECK(best.best_step() == 3);
}

TEST_CASE("BestCheckpoint never keeps a NaN or infinite score", "[best]") {
  BestCheckpoint best(0);
  const auto offer = [&](double score, long long step) { return best.offer(score, step, [&] { return at_step(step); }); };
  CHECK_FALSE(offer(std::nan(""), 1));
  CHECK_FALSE(best.has_best());
  CHECK_THROWS_WITH(best.best(), Catch::Contains("NaN"));
  CHECK(offer(3.0, 2));
  CHECK_FALSE(offer(std::numeric_limits<double>::infinity(), 3));
  CHECK_FALSE(offer(-std::numeric_limits<double>::infinity(), 4));
  CHECK_FALSE(offer(std::nan(""), 5));
  CHECK(best.best_step() == 2);
  CHECK_THROWS_AS(BestCheckpoint(-1), std::invalid_argument);
}
