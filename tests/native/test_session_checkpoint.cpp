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
