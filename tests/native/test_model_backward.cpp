// Model::backward stops at the first layer with parameters, which skips the gradient with respect to
// its input. The gradients of every parameter, the first layer's included, must still match centred
// differences of the whole model's loss.
#include "model/model.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

using namespace profundo;
using profundo::testing::relative_error;

namespace {

LayerSpec layer(const std::string& type, int units = 0) {
  LayerSpec spec;
  spec.type = type;
  spec.units = units;
  return spec;
}

// Smooth activations only (tanh, average pooling): no kinks for the finite differences to straddle.
ModelSpec small_cnn(const std::string& first) {
  LayerSpec conv = layer("conv2d");
  conv.filters = 3;
  conv.kernel_size = 3;
  LayerSpec pool = layer("avgpool2d");
  pool.kernel_size = 2;
  std::vector<LayerSpec> layers = {conv, layer("tanh"), pool, layer("flatten"), layer("dense", 4)};
  if (first == "flatten") layers = {layer("flatten"), layer("dense", 5), layer("tanh"), layer("dense", 4)};
  return {{1, 8, 8}, layers, "softmax_cross_entropy"};
}

double model_loss(Model& model, const Tensor& x, const Tensor& target, RunContext& context) {
  return model.loss().forward(model.forward(x, context), target);
}

}  // namespace

TEST_CASE("model backward gives every parameter gradient while skipping the input gradient", "[model][grad]") {
  for (const std::string first : {"conv2d", "flatten"}) {
    INFO("model starting with " << first);
    Model model(small_cnn(first));
    model.initialize(3);
    ThreadPool pool(1);
    RunContext context{pool, Mode::train, nullptr};
    Random rng(11);
    const Tensor x = profundo::testing::random_tensor({2, 1, 8, 8}, rng);
    Tensor target({2, 4});
    target.set_zero();
    target[1] = 1.0f;
    target[4 + 3] = 1.0f;

    model.zero_grad();
    model_loss(model, x, target, context);
    model.backward(model.loss().backward(), context);

    const double epsilon = 1e-2;
    double worst = 0.0;
    for (auto& parameter : model.parameters()) {
      for (std::size_t i = 0; i < parameter.value->size(); ++i) {
        float& value = (*parameter.value)[i];
        const float kept = value;
        value = kept + static_cast<float>(epsilon);
        const double up = model_loss(model, x, target, context);
        value = kept - static_cast<float>(epsilon);
        const double down = model_loss(model, x, target, context);
        value = kept;
        worst = std::max(worst, relative_error((*parameter.grad)[i], (up - down) / (2 * epsilon)));
      }
    }
    CHECK(worst < 2e-3);
  }
}
