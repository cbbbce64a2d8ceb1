// Model -> ONNX: one switch over the layer kinds (see onnx_classifier.hpp for the mapping).
#include "interop/onnx_classifier.hpp"

#include "data/augmentation.hpp"
#include "interop/onnx_proto.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv2d.hpp"
#include "layers/dense.hpp"
#include "layers/padding.hpp"
#include "layers/pool2d.hpp"
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

onnx::ValueInfo float_value(const std::string& name, const Shape& per_sample) {
  onnx::ValueInfo info;
  info.name = name;
  info.elem_type = onnx::data_type_float;
  info.has_shape = true;
  info.dims.push_back({-1, "N"});
  for (int d : per_sample) info.dims.push_back({d, ""});
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
    onnx::Node node;
    node.op_type = op;
    node.name = op + "_" + std::to_string(graph_.nodes.size());
    node.inputs.push_back(current);
    for (const auto& [role, tensor] : weights) {
      onnx::Tensor initializer;
      initializer.name = node.name + "." + role;
      initializer.data_type = onnx::data_type_float;
      for (int d : tensor->shape()) initializer.dims.push_back(d);
      initializer.floats.assign(tensor->data(), tensor->data() + tensor->size());
      node.inputs.push_back(initializer.name);
      graph_.initializers.push_back(std::move(initializer));
    }
    node.outputs.push_back(output.empty() ? node.name + ".out" : output);
    node.attributes = std::move(attributes);
    graph_.nodes.push_back(std::move(node));
    return graph_.nodes.back().outputs[0];
  }

 private:
  onnx::Graph& graph_;
};

std::string json_text(const nlohmann::json& value) { return value.dump(); }

}  // namespace

std::vector<std::string> class_names_of(const std::string& dataset) {
  if (dataset.rfind("fashion-mnist", 0) == 0)
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}

std::vector<std::uint8_t> export_onnx(Model& model, const ClassifierMetadata& metadata) {
  onnx::Model out;
  out.ir_version = 7;  // the IR of opset 13
  out.producer_name = "Profundo";
  out.producer_version = "1";
  out.opsets.emplace_back("", onnx_opset);
  onnx::Graph& graph = out.graph;
  graph.name = "profundo_classifier";
  GraphBuilder builder(graph);

  const ModelSpec& spec = model.spec();
  const bool has_probabilities = spec.loss == "softmax_cross_entropy" || spec.loss == "sigmoid_binary_cross_entropy";
  const std::string output_name = has_probabilities ? "logits" : "output";
  graph.inputs.push_back(float_value("input", spec.input));

  std::string current = "input";
  Shape shape = spec.input;
  const std::size_t count = spec.layers.size();
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
    } else if (layer.type == "dense") {
      auto& dense = static_cast<Dense&>(engine_layer);
      current = builder.add("Gemm", current, {{"weight", &dense.weight()}, {"bias", &dense.bias()}},
                            {float_attribute("alpha", 1.0f), float_attribute("beta", 1.0f), int_attribute("transB", 1)},
                            name_if_last());
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
      current = builder.add("Softmax", current, {}, {int_attribute("axis", 1)}, name_if_last());
    } else if (layer.type == "flatten") {
      current = builder.add("Flatten", current, {}, {int_attribute("axis", 1)}, name_if_last());
    } else if (layer.type == "dropout") {
      // The identity at inference: no node. A last-layer dropout still needs the named output.
      if (i + 1 == count) current = builder.add("Identity", current, {}, {}, output_name);
    } else {
      throw std::invalid_argument("ONNX export: layer " + std::to_string(i) + " (" + layer.type + ") has no ONNX mapping");
    }
    shape = engine_layer.output_shape();
  }
  graph.outputs.push_back(float_value(output_name, shape));
  if (has_probabilities) {
    const bool softmax = spec.loss == "softmax_cross_entropy";
    builder.add(softmax ? "Softmax" : "Sigmoid", current, {},
                softmax ? std::vector<onnx::Attribute>{int_attribute("axis", 1)} : std::vector<onnx::Attribute>{},
                "probabilities");
    graph.outputs.push_back(float_value("probabilities", shape));
  }

  const PixelNormalization pixel = pixel_normalization(metadata.normalization);
  nlohmann::json normalization = to_json(metadata.normalization);
  normalization["formula"] = "input = pixel * scale + shift, pixel in 0..255";
  normalization["scale"] = pixel.scale;
  normalization["shift"] = pixel.shift;
  out.metadata = {
      {"profundo.input", "input: float32 [N, " + to_string(spec.input).substr(1) +
                             " with N the batch (dynamic), NCHW; pixels normalised as profundo.normalization says"},
      {"profundo.outputs", has_probabilities
                               ? "logits: the model's scores before the loss's " +
                                     std::string(spec.loss == "softmax_cross_entropy" ? "softmax" : "sigmoid") +
                                     "; probabilities: that function of logits"
                               : "output: the model's output (loss " + spec.loss + ")"},
      {"profundo.loss", spec.loss},
      {"profundo.normalization", json_text(normalization)},
      {"profundo.class_names", json_text(metadata.class_names)},
  };
  return onnx::encode_onnx(out);
}

}  // namespace profundo
