#include "model/model.hpp"
#include "model/presets.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

using namespace profundo;

TEST_CASE("a model is built from JSON with shapes and parameter counts", "[model]") {
  const Model model(model_spec_from_json_text(R"({
    "input": [1, 28, 28],
    "layers": [{"type": "flatten"}, {"type": "dense", "units": 128}, {"type": "relu"},
               {"type": "dense", "units": 10, "init": "xavier_normal"}],
    "loss": "softmax_cross_entropy"})"));
  const auto summary = model.summary();
  REQUIRE(summary.size() == 4);
  CHECK(summary[0].output_shape == Shape{784});
  CHECK(summary[1].parameter_count == 784 * 128 + 128);
  CHECK(summary[3].output_shape == Shape{10});
  CHECK(model.parameter_count() == 784 * 128 + 128 + 128 * 10 + 10);
}

TEST_CASE("JSON round trip keeps the model", "[model]") {
  const ModelSpec spec = find_preset("mlp").model;
  const ModelSpec again = model_spec_from_json(to_json(spec));
  CHECK(to_json(again) == to_json(spec));
}

TEST_CASE("bad model descriptions are rejected with the layer and the field and the value", "[model][validation]") {
  const auto build = [](const std::string& text) { return Model(model_spec_from_json_text(text)); };
  CHECK_THROWS_WITH(build("{"), Catch::Contains("model JSON"));
  CHECK_THROWS_WITH(build(R"({"layers": []})"), Catch::Contains("model.input"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": []})"), Catch::Contains("no layers"));
  CHECK_THROWS_WITH(build(R"({"input": [0], "layers": [{"type": "relu"}]})"), Catch::Contains("model.input"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 0}]})"),
                    Catch::Contains("layers[0]") && Catch::Contains("units") && Catch::Contains("0"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": -3}]})"),
                    Catch::Contains("-3"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": "ten"}]})"),
                    Catch::Contains("layers[0].units") && Catch::Contains("wrong type"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "unit": 10}]})"),
                    Catch::Contains("unknown field 'unit'"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "conv9"}]})"),
                    Catch::Contains("layers[0]") && Catch::Contains("conv9"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 10, "init": "magic"}]})"),
                    Catch::Contains("magic"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 10}], "loss": "l7"})"),
                    Catch::Contains("l7"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "leaky_relu", "slope": 2}]})"),
                    Catch::Contains("slope"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 10}, {"type": "softmax"}]})"),
                    Catch::Contains("softmax"));
}

TEST_CASE("presets exist and unknown names list the known ones", "[model]") {
  for (const auto& name : preset_names()) CHECK_NOTHROW(Model(find_preset(name).model));
  CHECK_THROWS_WITH(find_preset("resnet"), Catch::Contains("resnet") && Catch::Contains("mlp"));
}
