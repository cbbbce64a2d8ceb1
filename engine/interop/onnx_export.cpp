// Model -> ONNX: one switch over the layer kinds (see onnx_classifier.hpp for the mapping), for
// image classifiers and character models alike.
#include "interop/onnx_classifier.hpp"

#include "data/augmentation.hpp"
#include "interop/onnx_proto.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv2d.hpp"
#include "layers/dense.hpp"
#include "layers/padding.hpp"
#include "layers/pool2d.hpp"
#include "sequence/embedding.hpp"
#include "sequence/recurrent_layer.hpp"
#include "train/config_json.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace profundo {

namespace {

onnx::Attribute int_attribute(const std::string& name, std::int64_t value) {
  onnx::Attribute attribute;
  attribute.name = name;
  attribute.type = onnx::AttributeType::int_value;
  attribute.i = value;
  return attribute;
}

onnx::Attribute float_attribute(const std::string& name, float value) {
  onnx::Attribute attribute;
  attribute.name = name;
  attribute.type = onnx::AttributeType::float_value;
  attribute.f = value;
  return attribute;
}

onnx::Attribute ints_attribute(const std::string& name, std::vector<std::int64_t> values) {
  onnx::Attribute attribute;
  attribute.name = name;
  attribute.type = onnx::AttributeType::ints;
  attribute.ints = std::move(values);
  return attribute;
}

// A graph input or output: `leading` symbolic dims ({"N"}, or {"T", "N"} for sequences), then numbers.
onnx::ValueInfo value_info(const std::string& name, int elem_type, const std::vector<std::string>& leading,
                           const Shape& per_sample) {
  onnx::ValueInfo info;
  info.name = name;
  info.elem_type = elem_type;
  info.has_shape = true;
  for (const std::string& symbol : leading) info.dims.push_back({-1, symbol});
  for (int d : per_sample) info.dims.push_back({d, ""});
  return info;
}

onnx::ValueInfo float_value(const std::string& name, const Shape& per_sample) {
  return value_info(name, onnx::data_type_float, {"N"}, per_sample);
}

// A recurrent layer's state as ONNX's recurrent ops take it: [directions = 1, N, H].
onnx::ValueInfo state_value(const std::string& name, int hidden) {
  onnx::ValueInfo info = value_info(name, onnx::data_type_float, {}, {1});
  info.dims.push_back({-1, "N"});
  info.dims.push_back({hidden, ""});
  return info;
}

// Appends nodes to a graph, naming each after its op and position, so that names do not depend on
// layers that export nothing (dropout): export -> import -> export gives the same file.
class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::Graph& graph) : graph_(graph) {}

  // Adds `op` reading `current` and the given initializers; returns its output's name.
  std::string add(const std::string& op, const std::string& current, const std::vector<std::pair<std::string, const Tensor*>>& weights,
                  std::vector<onnx::Attribute> attributes, const std::string& output = "") {
    const std::string name = next_name(op);
    std::vector<std::string> inputs = {current};
    for (const auto& [role, tensor] : weights)
      inputs.push_back(floats(name + "." + role, {tensor->shape().begin(), tensor->shape().end()},
                              {tensor->data(), tensor->data() + tensor->size()}));
    add_node(op, std::move(inputs), {output.empty() ? name + ".out" : output}, std::move(attributes));
    return graph_.nodes.back().outputs[0];
  }

  // The name the next node of `op` gets (its initializers are named after it).
  std::string next_name(const std::string& op) const { return op + "_" + std::to_string(graph_.nodes.size()); }

  void add_node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                std::vector<onnx::Attribute> attributes) {
    onnx::Node node;
    node.op_type = op;
    node.name = next_name(op);
    node.inputs = std::move(inputs);
    node.outputs = std::move(outputs);
    node.attributes = std::move(attributes);
    graph_.nodes.push_back(std::move(node));
  }

  // Initializers; each returns its name.
  std::string floats(const std::string& name, std::vector<std::int64_t> dims, std::vector<float> values) {
    onnx::Tensor initializer;
    initializer.name = name;
    initializer.data_type = onnx::data_type_float;
    initializer.dims = std::move(dims);
    initializer.floats = std::move(values);
    graph_.initializers.push_back(std::move(initializer));
    return name;
  }
  std::string int64s(const std::string& name, std::vector<std::int64_t> values) {
    onnx::Tensor initializer;
    initializer.name = name;
    initializer.data_type = onnx::data_type_int64;
    initializer.dims = {static_cast<std::int64_t>(values.size())};
    initializer.ints = std::move(values);
    graph_.initializers.push_back(std::move(initializer));
    return name;
  }

 private:
  onnx::Graph& graph_;
};

std::string json_text(const nlohmann::json& value) { return value.dump(); }

// Our recurrent layers fuse their gates in column blocks (W_x [I, G·H], W_h [H, G·H], biases
// [G·H]); ONNX stores W [G·H, I] and R [G·H, H] per direction, in its own gate order:
// LSTM i, o, f, c from our i, f, g, o; GRU z, r, h from our r, z, n; RNN the one block.
std::vector<int> onnx_gate_order(const std::string& cell) {
  if (cell == "lstm") return {0, 3, 1, 2};
  if (cell == "gru") return {1, 0, 2};
  return {0};
}

// [rows, G·H] input-major -> [G·H, rows] in ONNX's gate order.
std::vector<float> onnx_gate_matrix(const Tensor& ours, const std::vector<int>& order, int hidden) {
  const int rows = ours.dim(0), width = ours.dim(1);
  std::vector<float> out(ours.size());
  for (std::size_t gate = 0; gate < order.size(); ++gate)
    for (int j = 0; j < hidden; ++j)
      for (int k = 0; k < rows; ++k)
        out[(gate * hidden + j) * rows + k] = ours.data()[static_cast<std::size_t>(k) * width + order[gate] * hidden + j];
  return out;
}

// ONNX's B = [Wb, Rb] (the input and the recurrent product's biases, 2·G·H) from our biases in
// parameters() order: LSTM and RNN have one (x W_x + h W_h + b: Rb is zero), the GRU one per
// product, because its candidate multiplies h W_hn + b_hn by r (ONNX's linear_before_reset = 1).
std::vector<float> onnx_gate_biases(const std::vector<const Tensor*>& biases, const std::vector<int>& order, int hidden) {
  const std::size_t width = order.size() * hidden;
  std::vector<float> out(2 * width, 0.0f);
  for (std::size_t product = 0; product < biases.size(); ++product)
    for (std::size_t gate = 0; gate < order.size(); ++gate)
      for (int j = 0; j < hidden; ++j)
        out[product * width + gate * hidden + j] = (*biases[product])[static_cast<std::size_t>(order[gate] * hidden + j)];
  return out;
}

// The ONNX graph of a model: an image classifier reads `input` [N, ...] (floats), a sequence model
// `tokens` [T, N] (int64 character indices). The per-layer mapping is the one switch below.
struct ExportedGraph {
  onnx::Model model;
  bool has_probabilities = false;
  std::vector<std::string> states;  // the recurrent state inputs, initial_h_0, initial_c_0, ...
  nlohmann::json dropout = nlohmann::json::array();
};

ExportedGraph export_graph(Model& model) {
  ExportedGraph exported;
  onnx::Model& out = exported.model;
  out.ir_version = 7;  // the IR of opset 13
  out.producer_name = "Profundo";
  out.producer_version = "1";
  out.opsets.emplace_back("", onnx_opset);
  onnx::Graph& graph = out.graph;
  const bool sequence = model.is_sequence();
  graph.name = sequence ? "profundo_character_model" : "profundo_classifier";
  GraphBuilder builder(graph);

  const ModelSpec& spec = model.spec();
  const bool has_probabilities = exported.has_probabilities = spec.loss == "softmax_cross_entropy" ||
                                                               spec.loss == "sparse_softmax_cross_entropy" ||
                                                               spec.loss == "sigmoid_binary_cross_entropy";
  const bool softmax = spec.loss != "sigmoid_binary_cross_entropy";
  const int softmax_axis = sequence ? -1 : 1;  // the features: [N, F] or [T, N, F]
  const std::string output_name = has_probabilities ? "logits" : "output";
  const std::vector<std::string> leading = sequence ? std::vector<std::string>{"T", "N"} : std::vector<std::string>{"N"};
  std::string current = sequence ? "tokens" : "input";
  if (sequence)
    graph.inputs.push_back(value_info(current, onnx::data_type_int64, leading, {}));
  else
    graph.inputs.push_back(float_value(current, spec.input));

  Shape shape = spec.input;
  const std::size_t count = spec.layers.size();
  int recurrent_count = 0;
  std::vector<onnx::ValueInfo> state_outputs;  // final_h_0, final_c_0, ...: after logits and probabilities
  for (std::size_t i = 0; i < count; ++i) {
    const LayerSpec& layer = spec.layers[i];
    Layer& engine_layer = *model.layers()[i];
    // The last layer writes the graph's output; every node's output is named after it otherwise.
    const auto name_if_last = [&] { return i + 1 == count ? output_name : std::string(); };
    // Dense and softmax read every value of a sample: an image input is flattened first (ONNX's
    // Gemm and Softmax work on [N, F]).
    if ((layer.type == "dense" || layer.type == "softmax") && shape.size() > 1)
      current = builder.add("Flatten", current, {}, {int_attribute("axis", 1)});
    if (layer.type == "conv2d") {
      auto& conv = static_cast<Conv2d&>(engine_layer);
      const AxisExtent rows = axis_extent(shape[1], conv.kernel_size(), conv.stride(), conv.padding(), "conv2d");
      const AxisExtent cols = axis_extent(shape[2], conv.kernel_size(), conv.stride(), conv.padding(), "conv2d");
      current = builder.add("Conv", current, {{"weight", &conv.weight()}, {"bias", &conv.bias()}},
                            {ints_attribute("kernel_shape", {conv.kernel_size(), conv.kernel_size()}),
                             ints_attribute("strides", {conv.stride(), conv.stride()}),
                             ints_attribute("pads", {rows.before, cols.before, rows.after, cols.after}),
                             ints_attribute("dilations", {1, 1}), int_attribute("group", 1)},
                            name_if_last());
    } else if (layer.type == "dense" && sequence) {
      // Per time step: [T, N, in] x W^T [in, out] + b.
      auto& dense = static_cast<Dense&>(engine_layer);
      Tensor transposed({dense.weight().dim(1), dense.weight().dim(0)});
      transposed.matrix() = dense.weight().matrix().transpose();
      current = builder.add("MatMul", current, {{"weight", &transposed}}, {});
      current = builder.add("Add", current, {{"bias", &dense.bias()}}, {}, name_if_last());
    } else if (layer.type == "dense") {
      auto& dense = static_cast<Dense&>(engine_layer);
      current = builder.add("Gemm", current, {{"weight", &dense.weight()}, {"bias", &dense.bias()}},
                            {float_attribute("alpha", 1.0f), float_attribute("beta", 1.0f), int_attribute("transB", 1)},
                            name_if_last());
    } else if (layer.type == "embedding") {
      // Gather(W [V, E], tokens [T, N]) -> [T, N, E]
      auto& embedding = static_cast<Embedding&>(engine_layer);
      const std::string name = builder.next_name("Gather");
      const Tensor& w = *embedding.parameters()[0].value;
      const std::string weight = builder.floats(name + ".weight", {w.dim(0), w.dim(1)}, {w.data(), w.data() + w.size()});
      builder.add_node("Gather", {weight, current}, {name_if_last().empty() ? name + ".out" : output_name},
                       {int_attribute("axis", 0)});
      current = graph.nodes.back().outputs[0];
    } else if (is_recurrent_layer(layer.type)) {
      // LSTM / GRU / RNN, forward, layout 0 ([T, N, F]); Y [T, 1, N, H] loses its direction axis.
      auto& recurrent = static_cast<RecurrentLayer&>(engine_layer);
      const int hidden = recurrent.hidden_size(), inputs = recurrent.input_size();
      const std::vector<int> order = onnx_gate_order(layer.type);
      const std::int64_t gates = static_cast<std::int64_t>(order.size()) * hidden;
      const std::vector<Parameter> parameters = recurrent.parameters();  // w_x, w_h, then the biases
      std::vector<const Tensor*> biases;
      for (std::size_t p = 2; p < parameters.size(); ++p) biases.push_back(parameters[p].value);
      // The states are graph inputs [1, N, H] (zeros to start a text), not initializers with a
      // default: ONNX Runtime's JavaScript API cannot override those, and a sampler must continue.
      const std::string suffix = "_" + std::to_string(recurrent_count++);
      std::vector<std::string> initial_states, final_states;
      for (const char* kind : layer.type == "lstm" ? std::vector<const char*>{"h", "c"} : std::vector<const char*>{"h"}) {
        initial_states.push_back("initial_" + std::string(kind) + suffix);
        final_states.push_back("final_" + std::string(kind) + suffix);
        graph.inputs.push_back(state_value(initial_states.back(), hidden));
        exported.states.push_back(initial_states.back());
      }
      const std::string op = layer.type == "lstm" ? "LSTM" : layer.type == "gru" ? "GRU" : "RNN";
      const std::string name = builder.next_name(op);
      std::vector<std::string> node_inputs = {
          current,
          builder.floats(name + ".W", {1, gates, inputs}, onnx_gate_matrix(*parameters[0].value, order, hidden)),
          builder.floats(name + ".R", {1, gates, hidden}, onnx_gate_matrix(*parameters[1].value, order, hidden)),
          builder.floats(name + ".B", {1, 2 * gates}, onnx_gate_biases(biases, order, hidden)),
          ""};  // sequence_lens: every sequence has T steps
      node_inputs.insert(node_inputs.end(), initial_states.begin(), initial_states.end());
      std::vector<std::string> node_outputs = {name + ".Y"};
      node_outputs.insert(node_outputs.end(), final_states.begin(), final_states.end());
      std::vector<onnx::Attribute> attributes = {int_attribute("hidden_size", hidden)};
      if (layer.type == "gru") attributes.push_back(int_attribute("linear_before_reset", 1));
      builder.add_node(op, node_inputs, node_outputs, attributes);
      for (const std::string& final_state : final_states) state_outputs.push_back(state_value(final_state, hidden));
      const std::string squeeze = builder.next_name("Squeeze");
      current = name_if_last().empty() ? squeeze + ".out" : output_name;
      builder.add_node("Squeeze", {name + ".Y", builder.int64s(squeeze + ".axes", {1})}, {current}, {});
    } else if (layer.type == "maxpool2d" || layer.type == "avgpool2d") {
      auto& pool = static_cast<Pool2d&>(engine_layer);
      current = builder.add(layer.type == "maxpool2d" ? "MaxPool" : "AveragePool", current, {},
                            {ints_attribute("kernel_shape", {pool.kernel_size(), pool.kernel_size()}),
                             ints_attribute("strides", {pool.stride(), pool.stride()}),
                             ints_attribute("pads", {0, 0, 0, 0})},
                            name_if_last());
    } else if (layer.type == "global_avg_pool2d") {
      // ONNX keeps the 1 x 1 plane ([N, C, 1, 1]); the layer's output is [N, C].
      current = builder.add("GlobalAveragePool", current, {}, {});
      current = builder.add("Flatten", current, {}, {int_attribute("axis", 1)}, name_if_last());
    } else if (layer.type == "batchnorm") {
      auto& norm = static_cast<BatchNorm&>(engine_layer);
      // ONNX's momentum is the course's β: running = running · momentum + batch · (1 − momentum).
      current = builder.add("BatchNormalization", current,
                            {{"gamma", &norm.gamma()}, {"beta", &norm.beta()}, {"running_mean", &norm.running_mean()},
                             {"running_var", &norm.running_var()}},
                            {float_attribute("epsilon", norm.epsilon()), float_attribute("momentum", norm.momentum())},
                            name_if_last());
    } else if (layer.type == "relu" || layer.type == "sigmoid" || layer.type == "tanh") {
      const std::string op = layer.type == "relu" ? "Relu" : layer.type == "sigmoid" ? "Sigmoid" : "Tanh";
      current = builder.add(op, current, {}, {}, name_if_last());
    } else if (layer.type == "leaky_relu") {
      current = builder.add("LeakyRelu", current, {}, {float_attribute("alpha", layer.slope)}, name_if_last());
    } else if (layer.type == "linear") {
      current = builder.add("Identity", current, {}, {}, name_if_last());
    } else if (layer.type == "softmax") {
      current = builder.add("Softmax", current, {}, {int_attribute("axis", softmax_axis)}, name_if_last());
    } else if (layer.type == "flatten") {
      current = builder.add("Flatten", current, {}, {int_attribute("axis", 1)}, name_if_last());
    } else if (layer.type == "dropout") {
      // The identity at inference: no node, but the metadata keeps it so that an import restores
      // it. A last-layer dropout still needs the named output.
      exported.dropout.push_back({{"layer", i}, {"p", layer.p}});
      if (i + 1 == count) current = builder.add("Identity", current, {}, {}, output_name);
    } else {
      throw std::invalid_argument("ONNX export: layer " + std::to_string(i) + " (" + layer.type + ") has no ONNX mapping");
    }
    shape = engine_layer.output_shape();
  }
  graph.outputs.push_back(value_info(output_name, onnx::data_type_float, leading, shape));
  if (has_probabilities) {
    builder.add(softmax ? "Softmax" : "Sigmoid", current, {},
                softmax ? std::vector<onnx::Attribute>{int_attribute("axis", softmax_axis)} : std::vector<onnx::Attribute>{},
                "probabilities");
    graph.outputs.push_back(value_info("probabilities", onnx::data_type_float, leading, shape));
  }
  graph.outputs.insert(graph.outputs.end(), state_outputs.begin(), state_outputs.end());
  return exported;
}

std::string outputs_text(const ModelSpec& spec, bool has_probabilities) {
  if (!has_probabilities) return "output: the model's output (loss " + spec.loss + ")";
  return "logits: the model's scores before the loss's " +
         std::string(spec.loss == "sigmoid_binary_cross_entropy" ? "sigmoid" : "softmax") +
         "; probabilities: that function of logits";
}

}  // namespace

std::vector<std::string> class_names_of(const std::string& dataset) {
  if (dataset.rfind("fashion-mnist", 0) == 0)
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}

std::vector<std::uint8_t> export_onnx(Model& model, const ClassifierMetadata& metadata) {
  if (model.is_sequence()) throw std::invalid_argument("ONNX export: a sequence model needs its vocabulary (export_text_onnx)");
  ExportedGraph exported = export_graph(model);
  const ModelSpec& spec = model.spec();
  const PixelNormalization pixel = pixel_normalization(metadata.normalization);
  nlohmann::json normalization = to_json(metadata.normalization);
  normalization["formula"] = "input = pixel * scale + shift, pixel in 0..255";
  normalization["scale"] = pixel.scale;
  normalization["shift"] = pixel.shift;
  exported.model.metadata = {
      {"profundo.input", "input: float32 [N, " + to_string(spec.input).substr(1) +
                             " with N the batch (dynamic), NCHW; pixels normalised as profundo.normalization says"},
      {"profundo.outputs", outputs_text(spec, exported.has_probabilities)},
      {"profundo.loss", spec.loss},
      {"profundo.normalization", json_text(normalization)},
      {"profundo.class_names", json_text(metadata.class_names)},
      {"profundo.kind", onnx_kind_image},
      {"profundo.dropout", json_text(exported.dropout)},
  };
  if (!metadata.dataset.empty()) exported.model.metadata.emplace_back("profundo.dataset", metadata.dataset);
  return onnx::encode_onnx(exported.model);
}

std::vector<std::uint8_t> export_text_onnx(Model& model, const TextModelMetadata& metadata) {
  if (!model.is_sequence()) throw std::invalid_argument("ONNX export: not a sequence model");
  ExportedGraph exported = export_graph(model);
  std::string states;
  for (const std::string& state : exported.states) states += (states.empty() ? "" : ", ") + state;
  exported.model.metadata = {
      {"profundo.input", "tokens: int64 [T, N], T steps of N sequences, each a character's index in profundo.vocabulary; " +
                             states + ": float32 [1, N, H], the recurrent states to start from: zeros at the start of "
                             "a text, the final_* outputs of the previous call to continue it"},
      {"profundo.outputs", outputs_text(model.spec(), exported.has_probabilities) +
                               " over the next character, float32 [T, N, V] (softmax over the last axis); final_h_L, "
                               "final_c_L: the recurrent layers' states after the last step"},
      {"profundo.loss", model.spec().loss},
      {"profundo.vocabulary", json_text(metadata.vocabulary)},
      {"profundo.kind", onnx_kind_text},
      {"profundo.dropout", json_text(exported.dropout)},
  };
  return onnx::encode_onnx(exported.model);
}

}  // namespace profundo
