// The fast99 preset (99 % MNIST test accuracy in the page within 30 s, issue #16): cheap enough per sample, and
// learning real digits quickly. The full 99 % run takes minutes, so CI trains ~300 steps on a
// subset of the prepared MNIST (public/data/mnist, `npm run data`) and asks for far above chance.
#include "data/idx.hpp"
#include "io/gzip_file.hpp"
#include "model/flops.hpp"
#include "model/presets.hpp"
#include "train/classifier_session.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

using namespace profundo;

namespace {

// The first `count` images of an MNIST split (train or t10k).
std::shared_ptr<const ImageSet> mnist_subset(const std::string& prefix, int count) {
  const std::string dir = PROFUNDO_MNIST_DIR;
  const auto read_idx = [](const std::string& path) {
    const auto bytes = read_maybe_gzip_file(path);
    return parse_idx(bytes.data(), bytes.size(), path);
  };
  auto set = std::make_shared<ImageSet>(make_image_set(read_idx(dir + "/" + prefix + "-images-idx3-ubyte.gz"),
                                                       read_idx(dir + "/" + prefix + "-labels-idx1-ubyte.gz"),
                                                       "mnist-" + prefix, 10, 28, 28));
  REQUIRE(set->count >= count);
  set->count = count;
  set->pixels.resize(static_cast<std::size_t>(count) * set->pixels_per_image());
  set->labels.resize(static_cast<std::size_t>(count));
  return set;
}

}  // namespace

TEST_CASE("fast99 costs at most half of keras-cnn per sample and fits the model limits", "[presets][fast99]") {
  const Preset fast = find_preset("fast99");
  const Model model(fast.model);
  const Model keras(find_preset("keras-cnn").model);
  CHECK(forward_flops_per_sample(model) <= 0.5 * forward_flops_per_sample(keras));
  CHECK(model.parameter_count() < 100'000);
  CHECK_NOTHROW(validate(fast.training));
  CHECK_NOTHROW(validate(fast.data.augment));
}

TEST_CASE("fast99 learns MNIST digits in 300 steps on a subset", "[presets][fast99][mnist]") {
  Preset fast = find_preset("fast99");
  fast.training.epochs = 4;  // 5,000 training images / 64 = 79 steps per epoch: 316 steps
  DataConfig data = fast.data;
  data.dev_size = 1000;
  ClassifierSession session(fast.model, fast.training, data, mnist_subset("train", 6000), mnist_subset("t10k", 2000), 1);
  int steps = 0;
  while (!session.finished()) {
    session.train_next_batch();
    ++steps;
  }
  CHECK(steps == 4 * session.batches_per_epoch());
  const Evaluation test = session.evaluate(Split::test);
  REQUIRE(test.count == 2000);
  // Chance is 10 %; this run measured 97.05 % natively (seed 1). 93 % leaves room for other builds'
  // rounding and still catches a broken layer, optimiser or schedule.
  CHECK(test.accuracy >= 0.93f);
}
