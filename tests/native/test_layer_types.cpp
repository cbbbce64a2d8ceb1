// The layer table (engine/model/layer_types.hpp): its rows agree with the layers they build, and the
// model builder, the JSON reader and writer, the FLOP count and describe_layer_types() read it.
#include "model/flops.hpp"
#include "model/layer_types.hpp"
#include "model/model.hpp"
#include "model/model_limits.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

using namespace profundo;
using nlohmann::json;

namespace {

// Each type's example on an input of its family: an image for image layers, a vector otherwise, a
// token index for the sequence family.
ModelSpec example_model(const LayerType& type) {
  LayerSpec layer;
  layer.type = type.name;
  if (type.example) type.example(layer);
  ModelSpec spec;
  spec.input = type.family == LayerFamily::sequence ? Shape{1} : type.image_input || type.name == "batchnorm" ? Shape{3, 6, 6} : Shape{12};
  if (type.name == "rnn" || type.name == "gru" || type.name == "lstm") spec.layers.push_back({"embedding", 4, 20});
  spec.layers.push_back(layer);
  if (type.name == "dropout") spec.layers.push_back({"dense", 2});  // a dropout may not be the last layer
  spec.loss = type.family == LayerFamily::sequence ? "sparse_softmax_cross_entropy" : "mean_squared_error";
  return spec;
}

}  // namespace

TEST_CASE("every layer type builds from its example, with as many parameters as its row plans", "[layer_types]") {
  for (const auto& type : layer_types()) {
    INFO(type.name);
    const ModelSpec spec = example_model(type);
    Model model(spec);
    const std::size_t index = spec.layers.size() == 2 && type.name != "dropout" ? 1 : 0;
    CHECK(model.layers()[index]->kind() == type.name);
    const Shape input = index == 0 ? spec.input : model.layers()[0]->output_shape();
    long long actual = 0;
    for (const auto& parameter : model.layers()[index]->parameters()) actual += static_cast<long long>(parameter.value->size());
    CHECK(planned_parameter_count(spec.layers[index], input) == actual);
    CHECK(static_cast<bool>(type.parameters) == (actual > 0));
    // The JSON writer writes exactly the fields the type reads, and the reader takes them back.
    const json written = to_json(spec);
    CHECK(written["layers"][index].size() == type.fields.size() + 1);
    CHECK(to_json(model_spec_from_json(written)) == written);
  }
}

TEST_CASE("the JSON reader refuses fields a type does not read, and values out of the table's ranges", "[layer_types][validation]") {
  const auto read = [](const std::string& layers) {
    return model_spec_from_json_text(R"({"input": [1, 8, 8], "layers": )" + layers + "}");
  };
  CHECK_THROWS_WITH(read(R"([{"type": "conv2d", "filters": 2, "kernel_size": 3, "units": 4}])"),
                    "model.layers[0]: unknown field 'units' for conv2d (it reads filters, kernel_size, stride, padding, init, bias)");
  CHECK_THROWS_WITH(read(R"([{"type": "flatten"}, {"type": "relu", "slope": 0.1}])"),
                    "model.layers[1]: unknown field 'slope' for relu (relu reads no fields)");
  CHECK_THROWS_WITH(read(R"([{"type": "flatten"}, {"type": "dense", "units": 4}, {"type": "dropout", "p": 1.5}])"),
                    "model.layers[2].p must be in [0, 1), got 1.5");
  CHECK_THROWS_WITH(read(R"([{"type": "maxpool2d", "kernel_size": 2, "stride": -1}])"),
                    "model.layers[0].stride must be in [0, 2147483647], got -1");
  CHECK_THROWS_WITH(read(R"([{"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": "full"}])"),
                    "model.layers[0].padding must be one of valid, same, got 'full'");
  // "constant" needs a value a LayerSpec does not carry.
  CHECK_THROWS_WITH(read(R"([{"type": "flatten"}, {"type": "dense", "units": 2, "init": "constant"}])"),
                    "model.layers[1].init must be one of auto, he_normal, xavier_uniform, xavier_normal, normal_small, zeros, got 'constant'");
  CHECK_THROWS_WITH(read(R"([{"type": "global_max_pool2d"}])"),
                    Catch::StartsWith("model.layers[0].type: unknown layer type 'global_max_pool2d' (expected dense, conv2d,") &&
                        Catch::Contains("global_avg_pool2d") && Catch::EndsWith(" or lstm)"));
}

TEST_CASE("the model builder checks the table's ranges and rules, also for specs that did not come from JSON", "[layer_types][validation]") {
  ModelSpec spec{{1, 8, 8}, {{"flatten"}, {"dense", 4}, {"dropout"}}, "mean_squared_error"};
  spec.layers[2].p = 0.5f;
  spec.layers.push_back({"dense", 2});
  CHECK_NOTHROW(Model(spec));
  spec.layers[2].p = 1.5f;
  CHECK_THROWS_WITH(Model(spec), "model.layers[2].p must be in [0, 1), got 1.5");
  // After the output layer a dropout would drop the model's answers.
  spec.layers[2].p = 0.5f;
  spec.layers.pop_back();
  CHECK_THROWS_WITH(Model(spec), Catch::StartsWith("model.layers[2] (dropout): dropout cannot be the last layer"));
  CHECK_THROWS_WITH(Model(ModelSpec{{12}, {{"global_avg_pool2d"}}, "mean_squared_error"}),
                    "model.layers[0] (global_avg_pool2d): global_avg_pool2d needs an image input [channels, height, width], got [12]");
}

TEST_CASE("global_avg_pool2d in a model: shapes, parameters and FLOPs", "[layer_types][global_avg_pool2d][flops]") {
  // conv 3×3 1→4 on 8×8 → [4, 6, 6]; global average → [4]; dense 4→3.
  const Model model(model_spec_from_json_text(R"({"input": [1, 8, 8], "layers": [
      {"type": "conv2d", "filters": 4, "kernel_size": 3}, {"type": "relu"}, {"type": "global_avg_pool2d"},
      {"type": "dense", "units": 3}], "loss": "softmax_cross_entropy"})"));
  CHECK(model.summary()[2].output_shape == Shape{4});
  CHECK(model.parameter_count() == (4 * 9 + 4) + (4 * 3 + 3));
  // conv: 4·6·6 outputs × 9 multiply-adds = 1,296 MACs; dense 4→3: 12 MACs; the average counts none.
  CHECK(forward_flops_per_sample(model) == 2.0 * (1296 + 12));
}

TEST_CASE("describe_layer_types gives each type's fields, family and example", "[layer_types]") {
  const json described = describe_layer_types();
  REQUIRE(described["types"].size() == layer_types().size());
  const auto row = [&](const std::string& name) {
    for (const auto& type : described["types"])
      if (type["name"] == name) return type;
    return json();
  };
  CHECK(row("maxpool2d")["fields"] == json{"kernel_size", "stride"});
  CHECK(row("maxpool2d")["zero_means"] == json{{"stride", "kernel_size"}});
  CHECK(row("conv2d")["example"]["filters"] == 8);
  CHECK(row("global_avg_pool2d")["image_input"] == true);
  CHECK(row("lstm")["family"] == "sequence");
  CHECK(row("dense")["family"] == "any");
  for (const auto& field : described["fields"])
    if (field["path"] == "p") CHECK(field["max"] == json{{"value", 1.0}, {"inclusive", false}});
}
