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
  CHECK_THROWS_WITH(build("{"), Catch::Contains("model JSON: not valid JSON") && Catch::Contains("line 1, column 2") &&
                                    !Catch::Contains("json.exception"));
  CHECK_THROWS_WITH(build(R"({"layers": []})"), Catch::Contains("model.input"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": []})"), Catch::Contains("no layers"));
  CHECK_THROWS_WITH(build(R"({"input": [0], "layers": [{"type": "relu"}]})"), Catch::Contains("model.input"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 0}]})"),
                    Catch::Contains("layers[0]") && Catch::Contains("units") && Catch::Contains("0"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": -3}]})"),
                    Catch::Contains("-3"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": "ten"}]})"),
                    Catch::Contains("layers[0].units") && Catch::Contains("expected an integer"));
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

TEST_CASE("sizes a model cannot hold are refused before anything is allocated", "[model][validation][limits]") {
  const auto build = [](const std::string& text) { return Model(model_spec_from_json_text(text)); };
  // 784 x 2^31-1 weights: rejected from the description, not by an out-of-memory crash.
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 2147483647}]})"),
                    Catch::Contains("layers[0]") && Catch::Contains("parameters"));
  // Each layer fits, the sum does not.
  CHECK_THROWS_WITH(build(R"({"input": [6000], "layers": [{"type": "dense", "units": 6000},
                                                          {"type": "dense", "units": 6000}]})"),
                    Catch::Contains("layers[1]") && Catch::Contains("parameters"));
  // Few weights, but 2^20 filters of 28x28 outputs per sample.
  CHECK_THROWS_WITH(build(R"({"input": [1, 28, 28], "layers": [{"type": "conv2d", "filters": 1048576, "kernel_size": 1,
                                                                 "padding": "same"}]})"),
                    Catch::Contains("layers[0]") && Catch::Contains("values per sample"));
  CHECK_THROWS_WITH(build(R"({"input": [100000, 100000], "layers": [{"type": "relu"}]})"),
                    Catch::Contains("model.input") && Catch::Contains("values per sample"));
}

TEST_CASE("integer fields take integers in range only", "[model][validation]") {
  const auto build = [](const std::string& text) { return Model(model_spec_from_json_text(text)); };
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 2.5}]})"),
                    Catch::Contains("model.layers[0].units") && Catch::Contains("expected an integer"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dense", "units": 1e40}]})"),
                    Catch::Contains("model.layers[0].units"));
  CHECK_THROWS_WITH(build(R"({"input": [1, 4444444444444444444444, 28], "layers": [{"type": "relu"}]})"),
                    Catch::Contains("model.input[1]"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "dropout", "p": 1e300}]})"),
                    Catch::Contains("model.layers[0].p must be in [0, 1)") && Catch::Contains("1e+300"));
  CHECK_THROWS_WITH(build(R"({"input": [784], "layers": [{"type": "relu"}], "loss": 1e999})"),
                    Catch::Contains("model JSON"));
}
