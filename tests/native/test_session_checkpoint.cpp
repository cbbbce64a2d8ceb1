#include "train/classifier_session.hpp"
#include "support/synthetic_images.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace profundo;

namespace {

std::shared_ptr<ImageSet> quadrants(int count, std::uint32_t seed, const std::string& name) {
  return testing::quadrant_images(count, seed, 6, name);
}

LayerSpec layer(const std::string& type) {
  LayerSpec spec;
  spec.type = type;
  return spec;
}

// Every kind of state a resume must carry: conv and dense weights, batch-norm statistics,
// dropout masks, augmentation draws, Adam moments, the shuffled order within an epoch.
ModelSpec stateful_model() {
  LayerSpec conv = layer("conv2d");
  conv.filters = 3;
  conv.kernel_size = 3;
  LayerSpec dense = layer("dense");
  dense.units = 4;
  LayerSpec drop = layer("dropout");
  drop.p = 0.3f;
  return {{1, 6, 6}, {conv, layer("batchnorm"), layer("relu"), layer("flatten"), drop, dense}, "softmax_cross_entropy"};
}

std::vector<float> weights_of(ClassifierSession& session) {
  std::vector<float> all;
  for (auto& p : session.model().parameters()) all.insert(all.end(), p.value->data(), p.value->data() + p.value->size());
  return all;
}

}  // namespace

TEST_CASE("a run saved mid-epoch and resumed gives bit-identical weights", "[checkpoint][trainer]") {
  const auto train = quadrants(120, 1, "quadrants-train");
  TrainConfig config;
  config.batch_size = 16;
  config.epochs = 3;
  config.seed = 5;
  DataConfig data;
  data.dev_size = 20;
  data.augment.max_shift = 1.0f;
  data.augment.max_rotation = 10.0f;
  const int threads = ThreadPool::threads_supported() ? 2 : 1;

  ClassifierSession straight(stateful_model(), config, data, train, nullptr, threads);
  while (!straight.finished()) straight.train_next_batch();

  ClassifierSession first(stateful_model(), config, data, train, nullptr, threads);
  for (int i = 0; i < 9; ++i) first.train_next_batch();  // 7 batches per epoch: stop inside epoch 2
  const std::vector<std::uint8_t> bytes = encode_checkpoint(first.checkpoint());
  const Checkpoint loaded = decode_checkpoint(bytes.data(), bytes.size(), "run.profundo");
  ClassifierSession resumed(loaded, "run.profundo", train, nullptr, threads);
  CHECK(resumed.epoch() == 1);
  while (!resumed.finished()) resumed.train_next_batch();

  const auto expected = weights_of(straight), actual = weights_of(resumed);
  REQUIRE(expected.size() == actual.size());
  CHECK(std::memcmp(expected.data(), actual.data(), expected.size() * sizeof(float)) == 0);
  CHECK(resumed.evaluate(Split::dev).loss == straight.evaluate(Split::dev).loss);
}

TEST_CASE("a resumed run can be given more epochs", "[checkpoint][trainer]") {
  const auto train = quadrants(60, 2, "quadrants-train");
  TrainConfig config;
  config.epochs = 1;
  ClassifierSession session(stateful_model(), config, testing::dev_split(10), train, nullptr, 1);
  while (!session.finished()) session.train_next_batch();
  ClassifierSession resumed(session.checkpoint(), "done.profundo", train, nullptr, 1);
  CHECK(resumed.finished());
  resumed.set_epochs(2);
  CHECK_FALSE(resumed.finished());
  CHECK(resumed.train_next_batch().epoch == 1);
  CHECK_THROWS_WITH(resumed.set_epochs(0), Catch::Contains("epochs"));
}

TEST_CASE("loading a saved run against the wrong data or a damaged header says so", "[checkpoint][validation]") {
  const auto train = quadrants(60, 3, "quadrants-train");
  ClassifierSession session(stateful_model(), TrainConfig{}, testing::dev_split(10), train, nullptr, 1);
  session.train_next_batch();
  const Checkpoint saved = session.checkpoint();

  auto other = quadrants(60, 3, "fashion-train");
  CHECK_THROWS_WITH(ClassifierSession(saved, "m.profundo", other, nullptr, 1),
                    Catch::Contains("m.profundo") && Catch::Contains("trained on quadrants-train") &&
                        Catch::Contains("not on fashion-train"));

  Checkpoint foreign = saved;
  foreign.header["kind"] = "profundo-text-model";
  CHECK_THROWS_WITH(ClassifierSession(foreign, "t.profundo", train, nullptr, 1), Catch::Contains("not a saved classifier"));

  Checkpoint missing = saved;
  missing.header.erase("model");
  CHECK_THROWS_WITH(ClassifierSession(missing, "x.profundo", train, nullptr, 1), Catch::Contains("'model'"));

  Checkpoint wrong_shape = saved;
  wrong_shape.tensors[0].second = Tensor({7});
  CHECK_THROWS_WITH(ClassifierSession(wrong_shape, "w.profundo", train, nullptr, 1),
                    Catch::Contains("w.profundo") && Catch::Contains("shape [7]"));

  Checkpoint truncated = saved;
  truncated.tensors.resize(1);
  CHECK_THROWS_WITH(ClassifierSession(truncated, "s.profundo", train, nullptr, 1), Catch::Contains("missing"));

  Checkpoint damaged = saved;
  damaged.header["progress"]["epoch"] = "two";
  CHECK_THROWS_WITH(ClassifierSession(damaged, "d.profundo", train, nullptr, 1), Catch::Contains("d.profundo"));
}

TEST_CASE("an image run keeps the epoch of the best dev accuracy and tests that one", "[checkpoint][best]") {
  auto train = quadrants(256, 3, "quadrants-train");
  auto test = quadrants(64, 4, "quadrants-test");
  TrainConfig config;
  config.batch_size = 8;
  config.epochs = 4;
  config.patience = 2;
  config.optimizer.learning_rate = 0.01f;
  LayerSpec dense = layer("dense");
  dense.units = 4;
  const ModelSpec linear{{1, 6, 6}, {layer("flatten"), dense}, "softmax_cross_entropy"};
  ClassifierSession session(linear, config, testing::dev_split(64), train, test, 1);
  while (session.epoch() < 1) session.train_next_batch();
  CHECK(session.offer_dev(session.evaluate(Split::dev).accuracy));
  const std::vector<std::uint8_t> best_bytes = encode_checkpoint(session.checkpoint());
  const Evaluation best_test = session.evaluate(Split::test);
  CHECK(session.kept_epoch() == 1);

  // A second epoch whose weights are spoilt (every class equally likely): worse on dev, so epoch 1
  // stays the kept one.
  while (session.epoch() < 2) session.train_next_batch();
  for (auto& p : session.model().parameters()) p.value->fill(0.0f);
  const Evaluation spoilt = session.evaluate(Split::dev);
  REQUIRE(spoilt.accuracy < session.best_dev_accuracy());
  CHECK_FALSE(session.offer_dev(spoilt.accuracy));
  CHECK(session.best_epoch() == 1);
  CHECK(session.kept_epoch() == 1);
  CHECK(session.last_dev_accuracy() == spoilt.accuracy);
  CHECK(encode_checkpoint(session.kept_checkpoint()) == best_bytes);
  CHECK(session.evaluate(Split::test).loss != best_test.loss);
  CHECK_FALSE(session.finished());

  // patience 2: a second epoch without improvement ends the run before its 4 epochs.
  while (session.epoch() < 3) session.train_next_batch();
  for (auto& p : session.model().parameters()) p.value->fill(0.0f);
  CHECK_FALSE(session.offer_dev(session.evaluate(Split::dev).accuracy));
  CHECK(session.finished());
  CHECK(session.best().should_stop());

  // The run ends with epoch 1's model: the test set measures that one.
  session.restore_kept();
  CHECK(session.epoch() == 1);
  CHECK(session.evaluate(Split::test).loss == best_test.loss);
  CHECK(encode_checkpoint(session.checkpoint()) == best_bytes);
  CHECK(session.last_dev_accuracy() < session.best_dev_accuracy());

  // "Train more" after an early stop: more epochs give patience a fresh count, so training goes on.
  session.set_epochs(session.epoch() + 2);
  CHECK_FALSE(session.best().should_stop());
  CHECK_FALSE(session.finished());
}

TEST_CASE("keep last, or no dev split, ends an image run with its last epoch", "[checkpoint][best]") {
  auto train = quadrants(64, 3, "quadrants-train");
  TrainConfig config;
  config.batch_size = 8;
  config.epochs = 2;
  config.keep = "last";
  ClassifierSession last(stateful_model(), config, testing::dev_split(16), train, nullptr, 1);
  while (!last.finished()) {
    last.train_next_batch();
    if (last.epoch() == 1 && last.best_epoch() == 0) last.offer_dev(last.evaluate(Split::dev).accuracy);
  }
  CHECK(last.best_epoch() == 1);
  CHECK(last.kept_epoch() == 2);
  config.keep = "best";
  ClassifierSession no_dev(stateful_model(), config, testing::dev_split(0), train, nullptr, 1);
  CHECK_FALSE(no_dev.keeps_best());
  CHECK_FALSE(no_dev.offer_dev(1.0f));
}

TEST_CASE("a run's history is saved in the header and read back; files without one still load", "[checkpoint][history]") {
  const auto train = quadrants(60, 3, "quadrants-train");
  TrainConfig config;
  config.epochs = 1;
  ClassifierSession session(stateful_model(), config, testing::dev_split(10), train, nullptr, 1);
  while (!session.finished()) session.train_next_batch();

  // Saved before any history was set: no "history" in the header (as files written before it existed).
  const Checkpoint without = session.checkpoint();
  CHECK_FALSE(without.header.contains("history"));
  ClassifierSession old_file(without, "old.profundo", train, nullptr, 1);
  CHECK(old_file.history().is_null());

  const std::string history = R"({"epochs":[{"epoch":1,"trainLoss":0.5}],"lossSteps":[1,2],"losses":[2.3,1.9]})";
  session.set_history_json(history);
  const std::vector<std::uint8_t> bytes = encode_checkpoint(session.checkpoint());
  const Checkpoint loaded = decode_checkpoint(bytes.data(), bytes.size(), "run.profundo");
  CHECK(loaded.header.at("history") == nlohmann::json::parse(history));
  ClassifierSession resumed(loaded, "run.profundo", train, nullptr, 1);
  CHECK(resumed.history() == nlohmann::json::parse(history));
  // Saved again (e.g. after more epochs without a new history): the history stays.
  CHECK(resumed.checkpoint().header.at("history") == nlohmann::json::parse(history));

  CHECK_THROWS_WITH(session.set_history_json("{not json"), "history: not JSON");
}
