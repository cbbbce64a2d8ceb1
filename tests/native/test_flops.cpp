// FLOP counts of engine/model/flops.hpp (2 per multiply-add of dense and conv layers), which every
// benchmark divides by: forward, and a training step as the work Model::backward does.
#include "model/flops.hpp"
#include "model/presets.hpp"

#include <catch2/catch.hpp>

using namespace profundo;

TEST_CASE("tfjs-cnn and keras-cnn: forward FLOPs, and training without the first layer's input gradient", "[flops]") {
  // tfjs-cnn: conv 5×5 1→8 on 24×24 outputs: 8·24·24·1·25 = 115,200 MACs; conv 5×5 8→16 on 8×8:
  // 16·8·8·8·25 = 204,800; dense 256→10: 2,560. Forward 322,560 MACs = 645,120 FLOPs.
  // Training: forward + every weight gradient (645,120) + input gradients of all but the first
  // convolution (645,120 − 230,400) = 1,704,960, not 3 × 645,120 = 1,935,360.
  const Model tfjs(find_preset("tfjs-cnn").model);
  CHECK(forward_flops_per_sample(tfjs) == 645'120.0);
  CHECK(backward_flops_per_sample(tfjs) == 1'059'840.0);
  CHECK(training_flops_per_sample(tfjs) == 1'704'960.0);
  // keras-cnn: conv 3×3 1→32 on 26×26: 194,688 MACs (389,376 FLOPs); forward 4,881,920 FLOPs.
  const Model keras(find_preset("keras-cnn").model);
  CHECK(forward_flops_per_sample(keras) == 4'881'920.0);
  CHECK(training_flops_per_sample(keras) == 3 * 4'881'920.0 - 389'376.0);
}

TEST_CASE("backward FLOPs start at the first layer with parameters, whatever comes before it", "[flops]") {
  // relu first (no parameters): dense 4→8 (64 FLOPs) is the first trained layer, its input
  // gradient is skipped; dense 8→3 (48 FLOPs) does both gradients.
  const Model relu_first({{4}, {{"relu"}, {"dense", 8}, {"relu"}, {"dense", 3}}});  // LayerSpec{type, units}
  CHECK(forward_flops_per_sample(relu_first) == 112.0);
  CHECK(backward_flops_per_sample(relu_first) == 64.0 + 2 * 48.0);
  // batch norm first: it has parameters (and no counted products), so the dense layer after it
  // computes its input gradient too.
  const Model norm_first({{4}, {{"batchnorm"}, {"dense", 8}}});
  CHECK(backward_flops_per_sample(norm_first) == 2 * 64.0);
}
