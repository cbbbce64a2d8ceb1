// In evaluation Model::forward lets a convolution fold a batch norm that follows it into its weights,
// clamp its own output when a ReLU follows, and pool its output when a max-pooling follows, skipping
// those layers. The outputs must be those of the layers run one by one, and training afterwards
// must still see the batch norm, the ReLU and the pooling.
#include "layers/batch_norm.hpp"
#include "layers/conv2d.hpp"
#include "layers/pool2d.hpp"
#include "model/model.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <utility>

using namespace profundo;

namespace {

LayerSpec layer(const std::string& type, int units = 0) {
  LayerSpec spec;
  spec.type = type;
  spec.units = units;
  return spec;
}

LayerSpec conv(int filters, const std::string& padding = "valid") {
  LayerSpec spec = layer("conv2d");
  spec.filters = filters;
  spec.kernel_size = 3;
  spec.padding = padding;
  return spec;
}

LayerSpec max_pool(int kernel, int stride = 0) {
  LayerSpec spec = layer("maxpool2d");
  spec.kernel_size = kernel;
  spec.stride = stride;
  return spec;
}

ModelSpec conv_relu_model() {
  return {{2, 10, 10},
          {conv(4), layer("relu"), conv(5, "same"), layer("relu"), max_pool(2), layer("flatten"), layer("dense", 3)},
          "softmax_cross_entropy"};
}

// A max-pooling straight after a convolution (no ReLU), with overlapping 3×3 windows at stride 2,
// then a ReLU that is not fused.
ModelSpec conv_pool_model() {
  return {{2, 10, 10}, {conv(6), max_pool(3, 2), layer("relu"), layer("flatten"), layer("dense", 3)}, "softmax_cross_entropy"};
}

// fast99's pattern: convolution, batch norm, ReLU, max-pooling; then a convolution and a batch norm
// followed by a max-pooling, no ReLU between.
ModelSpec conv_norm_model() {
  return {{2, 10, 10},
          {conv(5), layer("batchnorm"), layer("relu"), max_pool(2), conv(6, "same"), layer("batchnorm"), max_pool(2),
           layer("flatten"), layer("dense", 3)},
          "softmax_cross_entropy"};
}

// The model's layers run one by one: nothing fused.
Tensor layer_by_layer(Model& model, const Tensor& x, RunContext& context) {
  Tensor current = x;
  for (auto& layer : model.layers()) current = layer->forward(current, context);
  return current;
}

float max_difference(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  return (a.vector() - b.vector()).cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("a ReLU and a max-pooling after a convolution are fused in evaluation with the same outputs", "[model]") {
  // 30 samples: with several threads each one's share runs as more than one GEMM chunk.
  for (const auto& [name, spec] : {std::pair{"conv relu conv relu maxpool", conv_relu_model()},
                                   std::pair{"conv maxpool(3, stride 2) relu", conv_pool_model()}}) {
    for (const bool fused_gemm : {false, true}) {
      INFO(name << "; convolution through the packed GEMM " << fused_gemm);
      Model model(spec);
      model.initialize(5);
      for (auto& layer : model.layers())
        if (auto* conv = dynamic_cast<Conv2d*>(layer.get())) conv->set_fused_forward(fused_gemm);
      ThreadPool pool(profundo::testing::max_test_threads());
      RunContext train{pool, Mode::train, nullptr};
      RunContext eval{pool, Mode::eval, nullptr};
      Random rng(2);
      const int batch = 30;
      const Tensor x = profundo::testing::random_tensor({batch, 2, 10, 10}, rng);

      const Tensor expected = layer_by_layer(model, x, train);
      const Tensor evaluated = model.forward(x, eval);
      CHECK(max_difference(evaluated, expected) < 1e-5f);
      // A pooling that ran inside the convolution refuses backward as after its own evaluation.
      for (auto& layer : model.layers())
        if (auto* pooling = dynamic_cast<MaxPool2d*>(layer.get())) {
          Shape shape = pooling->output_shape();
          shape.insert(shape.begin(), batch);
          const Tensor dy(shape);
          CHECK_THROWS_WITH(pooling->backward(dy, eval), Catch::Contains("eval mode"));
        }

      // Back to training: the ReLU and pooling layers run again and backward goes through them.
      const Tensor trained = model.forward(x, train);
      CHECK(max_difference(trained, expected) < 1e-5f);
      Tensor target({batch, 3});
      target.set_zero();
      for (int i = 0; i < batch; ++i) target[static_cast<std::size_t>(i * 3 + i % 3)] = 1.0f;
      model.loss().forward(trained, target);
      model.zero_grad();
      model.backward(model.loss().backward(), train);
      CHECK(model.parameters().front().grad->vector().norm() > 0.0f);
    }
  }
}

TEST_CASE("a batch norm after a convolution is folded into it in evaluation with the same outputs", "[model]") {
  for (const bool fused_gemm : {false, true}) {
    INFO("convolution through the packed GEMM " << fused_gemm);
    Model model(conv_norm_model());
    model.initialize(7);
    for (auto& layer : model.layers())
      if (auto* conv = dynamic_cast<Conv2d*>(layer.get())) conv->set_fused_forward(fused_gemm);
    ThreadPool pool(profundo::testing::max_test_threads());
    RunContext train{pool, Mode::train, nullptr};
    RunContext eval{pool, Mode::eval, nullptr};
    Random rng(3);
    const int batch = 30;
    const Tensor x = profundo::testing::random_tensor({batch, 2, 10, 10}, rng);
    // Running statistics, γ and β away from their initial 0, 1, 1 and 0, as after some training.
    for (int step = 0; step < 3; ++step) model.forward(profundo::testing::random_tensor(x.shape(), rng, 2.0f), train);
    for (auto& layer : model.layers())
      if (auto* norm = dynamic_cast<BatchNorm*>(layer.get()))
        for (std::size_t c = 0; c < norm->gamma().size(); ++c) {
          norm->gamma()[c] = rng.uniform(0.5f, 1.5f);
          norm->beta()[c] = rng.normal(0.0f, 0.5f);
        }

    const Tensor expected = layer_by_layer(model, x, eval);
    const Tensor evaluated = model.forward(x, eval);
    CHECK(max_difference(evaluated, expected) < 1e-4f);

    // Training afterwards normalises by the batch's own statistics again.
    const Tensor trained = model.forward(x, train);
    CHECK(max_difference(trained, layer_by_layer(model, x, train)) < 1e-5f);
    CHECK(max_difference(trained, expected) > 1e-3f);
  }
}
