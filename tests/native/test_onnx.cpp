// ONNX interop: the protobuf wire format both ways, export -> import -> export of every preset, and
// the reader's answers to bad files (truncated, wrong wire types, huge lengths, ops outside the subset).
#include "interop/onnx_classifier.hpp"
#include "interop/onnx_proto.hpp"
#include "interop/protobuf_wire.hpp"
#include "model/model_limits.hpp"
#include "model/presets.hpp"
#include "text/text_model.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <stdexcept>

using namespace profundo;
using Bytes = std::vector<std::uint8_t>;

namespace {

// A preset's model with seeded weights and batch-norm statistics that are not the initial 0 and 1
// (so that swapped mean and variance would show).
Model preset_model(const std::string& name) {
  Model model(find_preset(name).model);
  model.initialize(7);
  Random rng(11, RandomStream::initialization);
  for (auto& layer : model.layers()) {
    int buffer = 0;
    for (Tensor* tensor : layer->buffers()) {
      for (std::size_t i = 0; i < tensor->size(); ++i)
        (*tensor)[i] = buffer == 0 ? rng.uniform(-0.5f, 0.5f) : rng.uniform(0.5f, 2.0f);
      ++buffer;
    }
    for (auto& parameter : layer->parameters())
      if (parameter.name == "b" || parameter.name == "beta")
        for (std::size_t i = 0; i < parameter.value->size(); ++i) (*parameter.value)[i] = rng.uniform(-0.1f, 0.1f);
  }
  return model;
}

ClassifierMetadata digits() {
  Normalization normalization;
  normalization.kind = "standardize";
  normalization.mean = 0.13f;
  normalization.stddev = 0.31f;
  return {normalization, class_names_of("mnist")};
}

Tensor eval_forward(Model& model, const Tensor& x) {
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  return model.forward(x, context);
}

Tensor random_images(int n) {
  Tensor x({n, 1, 28, 28});
  Random rng(3, RandomStream::initialization);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(-1.0f, 2.0f);
  return x;
}

ImportedClassifier import(const Bytes& bytes) { return import_onnx(bytes.data(), bytes.size(), "model.onnx"); }

// The message of the std::invalid_argument that `bytes` are rejected with.
std::string rejection(const Bytes& bytes) {
  try {
    import(bytes);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  FAIL("accepted");
  return "";
}

onnx::Model decoded(const Bytes& bytes) { return onnx::decode_onnx(bytes.data(), bytes.size(), "model.onnx"); }

}  // namespace

TEST_CASE("protobuf wire: varints, floats, strings and nested messages read back as written", "[onnx][protobuf]") {
  protobuf::ProtoWriter inner;
  inner.string_field(1, "héllo");
  inner.float_field(2, -1.5f);
  protobuf::ProtoWriter outer;
  const std::vector<std::uint64_t> values = {0, 1, 127, 128, 300, 1ull << 35, ~0ull};
  for (std::uint64_t v : values) outer.varint_field(3, v);
  outer.message_field(4, inner);
  outer.int64_field(5, -2);  // negative int64: ten bytes, as protobuf encodes them
  const Bytes& bytes = outer.bytes();
  protobuf::ProtoReader reader(bytes.data(), bytes.size(), "test");
  for (std::uint64_t v : values) {
    const auto field = reader.next();
    CHECK(field.number == 3);
    CHECK(field.value == v);
  }
  auto message = protobuf::as_message(reader.next(), "inner");
  CHECK(protobuf::as_string(message.next(), "s") == "héllo");
  CHECK(protobuf::as_float(message.next(), "f") == -1.5f);
  CHECK(message.done());
  CHECK(protobuf::as_int64(reader.next(), "i") == -2);
  CHECK(reader.done());
}

TEST_CASE("protobuf wire: repeated int64 and float fields read packed and unpacked", "[onnx][protobuf]") {
  protobuf::ProtoWriter unpacked;
  unpacked.varint_field(8, 3);
  unpacked.varint_field(8, 1000);
  const Bytes packed_payload = {3, 0xe8, 0x07};  // 3, 1000 as bare varints
  protobuf::ProtoWriter packed;
  packed.bytes_field(8, packed_payload.data(), packed_payload.size());
  for (const auto* writer : {&unpacked, &packed}) {
    protobuf::ProtoReader reader(writer->bytes().data(), writer->bytes().size(), "ints");
    std::vector<std::int64_t> values;
    while (!reader.done()) protobuf::append_int64s(reader.next(), values, 8, "ints");
    CHECK(values == std::vector<std::int64_t>{3, 1000});
  }
  const float floats[] = {0.5f, -2.0f};
  protobuf::ProtoWriter packed_floats;
  packed_floats.bytes_field(7, reinterpret_cast<const std::uint8_t*>(floats), sizeof floats);
  protobuf::ProtoReader reader(packed_floats.bytes().data(), packed_floats.bytes().size(), "floats");
  std::vector<float> values;
  protobuf::append_floats(reader.next(), values, 8, "floats");
  CHECK(values == std::vector<float>{0.5f, -2.0f});
  std::vector<std::int64_t> too_many;
  protobuf::ProtoReader again(packed.bytes().data(), packed.bytes().size(), "ints");
  CHECK_THROWS_WITH(protobuf::append_int64s(again.next(), too_many, 1, "ints"), Catch::Contains("more than 1 values"));
}

TEST_CASE("protobuf wire: malformed bytes are refused with what is wrong", "[onnx][protobuf]") {
  const auto first_field_error = [](const Bytes& bytes) {
    protobuf::ProtoReader reader(bytes.data(), bytes.size(), "msg");
    try {
      reader.next();
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(first_field_error({0x0a, 0x05, 'a'}), Catch::Contains("claims 5 bytes but only 1 are left"));
  CHECK_THAT(first_field_error({0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}), Catch::Contains("claims"));
  CHECK_THAT(first_field_error({0x0b}), Catch::Contains("wire type 3"));
  CHECK_THAT(first_field_error({0x08, 0x80, 0x80}), Catch::Contains("truncated varint"));
  CHECK_THAT(first_field_error(Bytes{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}),
             Catch::Contains("does not fit 64 bits"));
  CHECK_THAT(first_field_error(Bytes{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x01}),
             Catch::Contains("does not fit 64 bits"));  // an eleventh byte
  CHECK_THAT(first_field_error({0x00}), Catch::Contains("invalid field number 0"));
  CHECK_THAT(first_field_error({0x0d, 1, 2}), Catch::Contains("truncated field 1"));
  protobuf::ProtoWriter wrong;
  wrong.varint_field(onnx::model_field::graph, 5);  // a graph must be a message
  CHECK_THAT(rejection(wrong.bytes()), Catch::Contains("graph: expected a message"));
}

TEST_CASE("ONNX export -> import -> export gives the same file for every preset", "[onnx]") {
  for (const std::string& name : preset_names()) {
    INFO(name);
    Model model = preset_model(name);
    const Bytes exported = export_onnx(model, digits());
    const ImportedClassifier imported = import(exported);
    Model copy(imported.spec);
    load_weights(copy, imported);
    CHECK(export_onnx(copy, imported.metadata) == exported);
    CHECK(imported.metadata.normalization.kind == "standardize");
    CHECK(imported.metadata.normalization.mean == 0.13f);
    CHECK(imported.metadata.class_names == class_names_of("mnist"));
    // The same arithmetic on the same weights: equal outputs, to the bit.
    const Tensor x = random_images(3);
    const Tensor expected = eval_forward(model, x);
    const Tensor got = eval_forward(copy, x);
    REQUIRE(got.shape() == expected.shape());
    CHECK(std::memcmp(got.data(), expected.data(), got.size() * sizeof(float)) == 0);
  }
}

TEST_CASE("ONNX export: layouts, pads and outputs as the engine computes them", "[onnx]") {
  Model model = preset_model("lenet5");  // conv 5x5 'same' first, then valid
  const onnx::Model file = decoded(export_onnx(model, digits()));
  REQUIRE(file.opsets.size() == 1);
  CHECK(file.opsets[0].second == 13);
  const onnx::Node& conv = file.graph.nodes[0];
  CHECK(conv.op_type == "Conv");
  CHECK(onnx::find_attribute(conv, "pads")->ints == std::vector<std::int64_t>{2, 2, 2, 2});
  CHECK(file.graph.initializers[0].dims == std::vector<std::int64_t>{6, 1, 5, 5});  // OIHW
  CHECK(file.graph.initializers[0].floats[7] == model.parameters()[0].value->data()[7]);
  CHECK(file.graph.outputs.size() == 2);
  CHECK(file.graph.outputs[0].name == "logits");
  CHECK(file.graph.outputs[1].name == "probabilities");
  CHECK(file.graph.inputs[0].dims[0].param == "N");  // dynamic batch
  CHECK(file.graph.nodes.back().op_type == "Softmax");
  int gemms = 0;
  for (const auto& node : file.graph.nodes) gemms += node.op_type == "Gemm";
  CHECK(gemms == 3);
}

TEST_CASE("ONNX import: our file restores its dropout layers and dataset from the metadata; a foreign one has none", "[onnx]") {
  Model model = preset_model("keras-cnn");
  ClassifierMetadata metadata = digits();
  metadata.dataset = "fashion-mnist";
  const Bytes exported = export_onnx(model, metadata);
  const ImportedClassifier imported = import(exported);
  // The same layers in the same places (the preset leaves strides to their defaults, the file spells them).
  REQUIRE(imported.spec.layers.size() == model.spec().layers.size());
  for (std::size_t i = 0; i < imported.spec.layers.size(); ++i) {
    CHECK(imported.spec.layers[i].type == model.spec().layers[i].type);
    CHECK(imported.spec.layers[i].p == model.spec().layers[i].p);
  }
  CHECK(imported.spec.layers[7].type == "dropout");
  CHECK(imported.metadata.dataset == "fashion-mnist");
  // Without our metadata (a foreign file): the dropout layers are gone, the rest is the same.
  onnx::Model foreign = decoded(exported);
  foreign.metadata.clear();
  const ImportedClassifier bare = import(onnx::encode_onnx(foreign));
  for (const auto& layer : bare.spec.layers) CHECK(layer.type != "dropout");
  CHECK(bare.spec.layers.size() + 1 == model.spec().layers.size());
  CHECK(bare.metadata.dataset.empty());
}

TEST_CASE("ONNX import: bad dropout, dataset or kind metadata is refused with the key", "[onnx][bad-input]") {
  Model model = preset_model("mlp");
  const onnx::Model file = decoded(export_onnx(model, digits()));
  const auto with = [&](const std::string& key, const std::string& value) {
    onnx::Model changed = file;
    changed.metadata.emplace_back(key, value);
    return rejection(onnx::encode_onnx(changed));
  };
  CHECK_THAT(with("profundo.dropout", R"([{"layer": 99, "p": 0.5}])"),
             Catch::Contains("profundo.dropout: layer 99 is out of order or beyond the model's"));
  CHECK_THAT(with("profundo.dropout", R"([{"layer": 1, "p": 1.5}])"), Catch::Contains("p must be in [0, 1), got 1.5"));
  CHECK_THAT(with("profundo.dropout", R"([{"layer": 1, "p": 0.5}, {"layer": 1, "p": 0.5}])"),
             Catch::Contains("out of order"));
  CHECK_THAT(with("profundo.dropout", R"({"layer": 1})"), Catch::Contains("expected a list of {layer, p}"));
  CHECK_THAT(with("profundo.dropout", "[1"), Catch::Contains("metadata profundo.dropout: "));
  CHECK_THAT(with("profundo.dataset", "cifar"), Catch::Contains("unknown dataset 'cifar'"));
  CHECK_THAT(with("profundo.kind", "character_model"), Catch::Contains("this is a character model"));
}

TEST_CASE("ONNX import: every truncation of a file is refused with a message", "[onnx][bad-input]") {
  Model model = preset_model("tfjs-cnn");
  const Bytes exported = export_onnx(model, digits());
  for (std::size_t size = 0; size < exported.size(); size += 1 + size / 50) {
    INFO(size);
    const Bytes cut(exported.begin(), exported.begin() + static_cast<std::ptrdiff_t>(size));
    CHECK_THROWS_AS(import(cut), std::invalid_argument);
  }
  CHECK_THAT(rejection(Bytes(exported.begin(), exported.end() - 10)), Catch::StartsWith("model.onnx: ") && Catch::Contains("left"));
}

namespace {

// A small valid file to break one piece at a time.
onnx::Model small_model() {
  Model model(find_preset("tfjs-cnn").model);
  model.initialize(1);
  const Bytes bytes = export_onnx(model, digits());
  return decoded(bytes);
}

}  // namespace

TEST_CASE("ONNX import: ops and attributes outside the subset are named with their node", "[onnx][bad-input]") {
  onnx::Model file = small_model();
  file.graph.nodes[1].op_type = "Elu";
  file.graph.nodes[1].name = "act1";
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("node 'act1' (Elu): unsupported op 'Elu'"));

  file = small_model();
  file.graph.nodes[0].attributes[2].ints = {1, 1, 1, 1};  // pads that are neither valid nor same for 5x5
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("(Conv): pads [1, 1, 1, 1] are neither none nor 'same'"));

  file = small_model();
  file.graph.nodes[0].attributes.back().i = 2;  // group
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("grouped convolutions"));

  file = small_model();
  file.graph.nodes[2].inputs[0] = "input";  // a branch: reads the graph input again
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("only a chain of layers"));

  file = small_model();
  file.graph.nodes[0].domain = "com.microsoft";
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("domain 'com.microsoft'"));

  file = small_model();
  file.opsets[0].second = 99;
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("opset 99 is not supported"));

  file = small_model();
  file.graph.initializers[0].dims = {8, 2, 5, 5};  // two input channels, one in the image
  file.graph.initializers[0].floats.resize(400);
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("expects 2 input channels, the input has 1"));
}

TEST_CASE("ONNX import: sizes beyond the engine's limits are refused before allocating", "[onnx][bad-input]") {
  onnx::Model file = small_model();
  file.graph.inputs[0].dims = {{-1, "N"}, {1, ""}, {100000, ""}, {100000, ""}};
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("holds more than"));

  // A tensor that claims 2^40 values and carries none.
  protobuf::ProtoWriter tensor;
  for (int i = 0; i < 4; ++i) tensor.int64_field(onnx::tensor_field::dims, 1024);
  tensor.int64_field(onnx::tensor_field::data_type, onnx::data_type_float);
  protobuf::ProtoWriter graph;
  graph.message_field(onnx::graph_field::initializer, tensor);
  protobuf::ProtoWriter model;
  model.message_field(onnx::model_field::graph, graph);
  CHECK_THAT(rejection(model.bytes()), Catch::Contains("more than the engine's limit of " + std::to_string(max_model_parameters)));

  // Data that does not match the dims.
  file = small_model();
  file.graph.initializers[0].floats.pop_back();
  CHECK_THAT(rejection(onnx::encode_onnx(file)), Catch::Contains("raw_data has 796 bytes, expected 800"));

  CHECK_THAT(rejection({}), Catch::Contains("empty file"));
}

namespace {

// A seed of the fuzz corpus (tests/interop/make_onnx_seeds.py wrote it with onnx.helper).
ImportedClassifier import_seed(const std::string& name) {
  const std::string path = std::string(PROFUNDO_FUZZ_CORPUS_DIR) + "/onnx/" + name;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  REQUIRE(file != nullptr);
  Bytes bytes;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) bytes.push_back(static_cast<std::uint8_t>(c));
  std::fclose(file);
  return import(bytes);
}

std::vector<std::string> layer_types(const ImportedClassifier& imported) {
  std::vector<std::string> types;
  for (const auto& layer : imported.spec.layers) types.push_back(layer.type);
  return types;
}

}  // namespace

TEST_CASE("ONNX import: files written by onnx.helper map op by op", "[onnx]") {
  const ImportedClassifier matmul = import_seed("seed-bn-avgpool-matmul");
  CHECK(layer_types(matmul) ==
        std::vector<std::string>{"conv2d", "batchnorm", "tanh", "avgpool2d", "flatten", "dense", "leaky_relu", "dense"});
  CHECK(matmul.spec.layers[0].stride == 2);
  CHECK(matmul.spec.layers[1].epsilon == 1e-3f);
  CHECK(matmul.spec.layers[1].momentum == 0.8f);
  CHECK(matmul.spec.layers[3].stride == 1);
  CHECK(matmul.spec.layers[6].slope == 0.1f);
  CHECK(matmul.metadata.normalization.kind == "scale");  // no metadata: pixels / 255, classes 0..
  CHECK(matmul.metadata.class_names == std::vector<std::string>{"0", "1"});

  const ImportedClassifier nhwc = import_seed("seed-nhwc-dropout-sigmoid");
  CHECK(nhwc.spec.input == Shape{1, 5, 5});
  CHECK(layer_types(nhwc) == std::vector<std::string>{"conv2d", "sigmoid", "flatten", "dropout", "linear", "dense"});
  CHECK(nhwc.spec.layers[0].padding == "same");
  CHECK(nhwc.spec.layers[3].p == 0.25f);

  const ImportedClassifier gemm = import_seed("seed-conv-pool-gemm-softmax");
  CHECK(layer_types(gemm) == std::vector<std::string>{"conv2d", "relu", "maxpool2d", "flatten", "dense"});
  CHECK(gemm.spec.layers[0].padding == "same");
  CHECK(gemm.metadata.normalization.kind == "standardize");
  CHECK(gemm.metadata.class_names == std::vector<std::string>{"a", "b", "c"});
  const ImportedClassifier ours = import_seed("seed-metadata-dropout");  // our export's metadata, written by onnx.helper
  CHECK(layer_types(ours) == std::vector<std::string>{"flatten", "dropout", "dense", "relu", "dropout", "dense"});
  CHECK(ours.spec.layers[1].p == 0.2f);
  CHECK(ours.spec.layers[4].p == 0.5f);
  CHECK(ours.metadata.dataset == "fashion-mnist");
  // The models build and take their weights.
  for (const auto* imported : {&matmul, &nhwc, &gemm, &ours}) {
    Model model(imported->spec);
    load_weights(model, *imported);
  }
}

TEST_CASE("ONNX export of a character model: Gather, LSTM in ONNX's gate order, MatMul + Add, Softmax", "[onnx][text]") {
  TextConfig config;
  config.cell = "lstm";
  config.layers = 2;
  config.hidden_size = 5;
  config.embedding_size = 3;
  config.dropout = 0.25f;
  config.dropout_embedding = false;  // dropout between the layers only: the indices below assume it
  config.dropout_head = false;
  Model model(text_model_spec(config, 7));
  model.initialize(4);
  CHECK_THROWS_WITH(export_onnx(model, digits()), Catch::Contains("needs its vocabulary"));
  const onnx::Model file = decoded(export_text_onnx(model, {{"a", "b", "c", "d", "e", "\n", "é"}}));
  std::vector<std::string> ops;
  for (const auto& node : file.graph.nodes) ops.push_back(node.op_type);
  CHECK(ops == std::vector<std::string>{"Gather", "LSTM", "Squeeze", "LSTM", "Squeeze", "MatMul", "Add", "Softmax"});
  CHECK(file.graph.inputs[0].elem_type == onnx::data_type_int64);
  REQUIRE(file.graph.inputs.size() == 5);  // tokens, initial_h_0, initial_c_0, initial_h_1, initial_c_1
  CHECK(file.graph.inputs[4].name == "initial_c_1");
  CHECK(file.graph.outputs[0].name == "logits");
  CHECK(file.graph.outputs[4].name == "final_h_1");
  // W [1, 4H, E] of the first LSTM: ONNX's gate 1 (o) row j, column k is our W_x[k, 3H + j].
  const Tensor& w_x = *model.layers()[1]->parameters()[0].value;  // [E, 4H]
  const onnx::Tensor* w = nullptr;
  for (const auto& initializer : file.graph.initializers)
    if (initializer.name == file.graph.nodes[1].name + ".W") w = &initializer;
  REQUIRE(w != nullptr);
  CHECK(w->dims == std::vector<std::int64_t>{1, 20, 3});
  const int hidden = 5, j = 2, k = 1;
  CHECK(w->floats[static_cast<std::size_t>((hidden + j) * 3 + k)] == w_x[static_cast<std::size_t>(k * 20 + 3 * hidden + j)]);
  bool vocabulary = false, dropout = false;
  for (const auto& [key, value] : file.metadata) {
    vocabulary |= key == "profundo.vocabulary" && value == R"(["a","b","c","d","e","\n","é"])";
    dropout |= key == "profundo.dropout" && value == R"([{"layer":2,"p":0.25}])";
  }
  CHECK(vocabulary);
  CHECK(dropout);
}
