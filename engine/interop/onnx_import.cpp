// ONNX -> ModelSpec + parameters: one table of op importers (see onnx_classifier.hpp for the subset).
// Every node must read the previous node's output (a chain of layers) plus initializers or
// Constant outputs; shapes are followed node by node so that each weight is checked against the
// input it meets before anything else is allocated.
#include "interop/onnx_classifier.hpp"

#include "interop/onnx_proto.hpp"
#include "layers/padding.hpp"
#include "model/model_limits.hpp"
#include "train/config_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace profundo {

namespace {

struct ImportState {
  std::map<std::string, const onnx::Tensor*> constants;  // initializers and Constant outputs
  std::vector<onnx::Tensor> constant_values;              // storage of Constant outputs
  const std::vector<onnx::Node>* nodes = nullptr;
  std::size_t index = 0;          // the node being read
  std::string current;            // the tensor the next node must read
  Shape shape;                    // its per-sample shape
  std::string loss = "softmax_cross_entropy";
  nlohmann::json dropout = nlohmann::json::array();  // profundo.dropout: [{layer, p}] removed at export
  ImportedClassifier result;
  long long parameter_count = 0;
};

// Errors about one node name it and its op.
[[noreturn]] void fail(const onnx::Node& node, const std::string& message) {
  throw std::invalid_argument("node '" + node.name + "' (" + node.op_type + "): " + message);
}

void allow_attributes(const onnx::Node& node, const std::set<std::string>& allowed) {
  for (const onnx::Attribute& attribute : node.attributes)
    if (!allowed.count(attribute.name)) fail(node, "attribute '" + attribute.name + "' is not supported");
}

std::int64_t int_attribute(const onnx::Node& node, const std::string& name, std::int64_t fallback) {
  const onnx::Attribute* attribute = onnx::find_attribute(node, name);
  if (!attribute) return fallback;
  if (attribute->type != onnx::AttributeType::int_value) fail(node, "attribute '" + name + "' must be an integer");
  return attribute->i;
}

float float_attribute(const onnx::Node& node, const std::string& name, float fallback) {
  const onnx::Attribute* attribute = onnx::find_attribute(node, name);
  if (!attribute) return fallback;
  if (attribute->type != onnx::AttributeType::float_value) fail(node, "attribute '" + name + "' must be a float");
  return attribute->f;
}

std::vector<std::int64_t> ints_attribute(const onnx::Node& node, const std::string& name, std::vector<std::int64_t> fallback) {
  const onnx::Attribute* attribute = onnx::find_attribute(node, name);
  if (!attribute) return fallback;
  if (attribute->type != onnx::AttributeType::ints) fail(node, "attribute '" + name + "' must be a list of integers");
  return attribute->ints;
}

std::string string_attribute(const onnx::Node& node, const std::string& name, const std::string& fallback) {
  const onnx::Attribute* attribute = onnx::find_attribute(node, name);
  if (!attribute) return fallback;
  if (attribute->type != onnx::AttributeType::string_value) fail(node, "attribute '" + name + "' must be a string");
  return attribute->s;
}

std::string ints_text(const std::vector<std::int64_t>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

// Input `slot` of the node as a constant tensor (initializer or Constant); nullptr when the slot
// is absent or empty (an optional input).
const onnx::Tensor* constant_input(const onnx::Node& node, std::size_t slot, ImportState& state) {
  if (slot >= node.inputs.size() || node.inputs[slot].empty()) return nullptr;
  const auto found = state.constants.find(node.inputs[slot]);
  if (found == state.constants.end())
    fail(node, "input '" + node.inputs[slot] + "' must be a constant (an initializer): only chains of layers are supported");
  return found->second;
}

// The float values of a constant input whose dims must be `dims` (after dropping leading 1s when
// `squeeze` allows it, e.g. a Gemm bias [1, out]).
Tensor float_input(const onnx::Node& node, std::size_t slot, const Shape& dims, const std::string& role,
                   ImportState& state) {
  const onnx::Tensor* tensor = constant_input(node, slot, state);
  if (!tensor) fail(node, "missing " + role);
  if (tensor->data_type != onnx::data_type_float)
    fail(node, role + " '" + tensor->name + "' has data type " + std::to_string(tensor->data_type) + ", expected float (1)");
  std::vector<std::int64_t> got = tensor->dims;
  while (got.size() > dims.size() && !got.empty() && got.front() == 1) got.erase(got.begin());
  const std::vector<std::int64_t> expected(dims.begin(), dims.end());
  if (got != expected)
    fail(node, role + " '" + tensor->name + "' has dims " + ints_text(tensor->dims) + ", expected " + ints_text(expected));
  Tensor value(dims);
  std::copy(tensor->floats.begin(), tensor->floats.end(), value.data());
  return value;
}

void require_image(const onnx::Node& node, const ImportState& state) {
  if (state.shape.size() != 3) fail(node, "needs an image [N, C, H, W], got per-sample shape " + to_string(state.shape));
}

int checked_int(const onnx::Node& node, std::int64_t value, const std::string& what) {
  if (value <= 0 || value > 1 << 20) fail(node, what + " " + std::to_string(value) + " is out of range");
  return static_cast<int>(value);
}

// The square kernel side of kernel_shape / a weight, and one stride for both axes.
int square(const onnx::Node& node, const std::vector<std::int64_t>& pair, const std::string& what) {
  if (pair.size() != 2 || pair[0] != pair[1])
    fail(node, what + " " + ints_text(pair) + " is not square (Profundo's kernels and strides are k x k)");
  return checked_int(node, pair[0], what);
}

void require_unit_dilations(const onnx::Node& node) {
  const auto dilations = ints_attribute(node, "dilations", {1, 1});
  if (dilations != std::vector<std::int64_t>{1, 1}) fail(node, "dilations " + ints_text(dilations) + " are not supported");
}

void add_parameters(ImportState& state, const onnx::Node& node, std::vector<Tensor> tensors) {
  for (Tensor& tensor : tensors) {
    state.parameter_count += static_cast<long long>(tensor.size());
    if (state.parameter_count > max_model_parameters)
      fail(node, "the model has more than " + std::to_string(max_model_parameters) + " parameters, the engine's limit");
    state.result.parameters.push_back(std::move(tensor));
  }
}

void add_layer(ImportState& state, const onnx::Node& node, LayerSpec layer, Shape output_shape) {
  try {
    check_values_per_sample(output_shape, "its output");
  } catch (const std::invalid_argument& error) {
    fail(node, error.what());
  }
  state.result.spec.layers.push_back(std::move(layer));
  state.shape = std::move(output_shape);
}

LayerSpec layer_of(const std::string& type) {
  LayerSpec layer;
  layer.type = type;
  return layer;
}

void import_conv(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"});
  require_image(node, state);
  require_unit_dilations(node);
  if (int_attribute(node, "group", 1) != 1) fail(node, "grouped convolutions (group != 1) are not supported");
  const onnx::Tensor* weight = constant_input(node, 1, state);
  if (!weight || weight->dims.size() != 4) fail(node, "the weight must be a constant [K, C, k, k]");
  const int filters = checked_int(node, weight->dims[0], "filters");
  const int kernel = square(node, {weight->dims[2], weight->dims[3]}, "kernel");
  if (weight->dims[1] != state.shape[0])
    fail(node, "the weight expects " + std::to_string(weight->dims[1]) + " input channels, the input has " +
                   std::to_string(state.shape[0]));
  if (const auto* shape = onnx::find_attribute(node, "kernel_shape"))
    if (square(node, shape->ints, "kernel_shape") != kernel) fail(node, "kernel_shape does not match the weight");
  const int stride = square(node, ints_attribute(node, "strides", {1, 1}), "strides");
  // Padding: none (valid), or exactly what padding.hpp computes for "same" (TensorFlow's rule,
  // ONNX's SAME_UPPER), written as pads or as auto_pad.
  const AxisExtent rows = axis_extent(state.shape[1], kernel, stride, Padding::same, "conv");
  const AxisExtent cols = axis_extent(state.shape[2], kernel, stride, Padding::same, "conv");
  const std::vector<std::int64_t> same = {rows.before, cols.before, rows.after, cols.after};
  const std::string auto_pad = string_attribute(node, "auto_pad", "NOTSET");
  std::vector<std::int64_t> pads = ints_attribute(node, "pads", {0, 0, 0, 0});
  if (auto_pad == "SAME_UPPER" || (auto_pad == "SAME_LOWER" && rows.before == rows.after && cols.before == cols.after))
    pads = same;
  else if (auto_pad != "NOTSET" && auto_pad != "VALID")
    fail(node, "auto_pad " + auto_pad + " is not supported here");
  LayerSpec layer = layer_of("conv2d");
  layer.filters = filters;
  layer.kernel_size = kernel;
  layer.stride = stride;
  if (pads == std::vector<std::int64_t>{0, 0, 0, 0}) {
    layer.padding = "valid";
  } else if (pads == same) {
    layer.padding = "same";
  } else {
    fail(node, "pads " + ints_text(pads) + " are neither none nor 'same' (" + ints_text(same) + " for this input)");
  }
  const AxisExtent out_rows = axis_extent(state.shape[1], kernel, stride, parse_padding(layer.padding), node.name);
  const AxisExtent out_cols = axis_extent(state.shape[2], kernel, stride, parse_padding(layer.padding), node.name);
  const Shape weight_shape = {filters, state.shape[0], kernel, kernel};
  Tensor bias = constant_input(node, 2, state) ? float_input(node, 2, {filters}, "bias", state) : Tensor({filters});
  add_parameters(state, node, {float_input(node, 1, weight_shape, "weight", state), std::move(bias)});
  add_layer(state, node, layer, {filters, out_rows.output, out_cols.output});
}

int features_of(const onnx::Node& node, const ImportState& state) {
  if (state.shape.size() != 1) fail(node, "needs a flat input [N, F], got per-sample shape " + to_string(state.shape));
  return state.shape[0];
}

void add_dense(ImportState& state, const onnx::Node& node, Tensor weight, Tensor bias) {
  LayerSpec layer = layer_of("dense");
  layer.units = weight.dim(0);
  const int units = layer.units;
  add_parameters(state, node, {std::move(weight), std::move(bias)});
  add_layer(state, node, layer, {units});
}

// [rows, cols] -> [cols, rows]
Tensor transposed_matrix(const Tensor& matrix) {
  Tensor result({matrix.dim(1), matrix.dim(0)});
  result.matrix() = matrix.matrix().transpose();
  return result;
}

void import_gemm(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"alpha", "beta", "transA", "transB"});
  const int features = features_of(node, state);
  if (float_attribute(node, "alpha", 1.0f) != 1.0f || float_attribute(node, "beta", 1.0f) != 1.0f)
    fail(node, "alpha and beta must be 1");
  if (int_attribute(node, "transA", 0) != 0) fail(node, "transA must be 0");
  const bool transposed = int_attribute(node, "transB", 0) != 0;
  const onnx::Tensor* b = constant_input(node, 1, state);
  if (!b || b->dims.size() != 2) fail(node, "the weight must be a constant matrix");
  const int units = checked_int(node, transposed ? b->dims[0] : b->dims[1], "units");
  // The weight's dims are checked (by float_input) before W is allocated.
  Tensor weight = float_input(node, 1, transposed ? Shape{units, features} : Shape{features, units}, "weight", state);
  if (!transposed) weight = transposed_matrix(weight);  // B [in, out] -> W [out, in]
  Tensor bias = constant_input(node, 2, state) ? float_input(node, 2, {units}, "bias", state) : Tensor({units});
  add_dense(state, node, std::move(weight), std::move(bias));
}

// MatMul with a constant [in, out], and the Add of a constant bias right after it when there is one.
void import_matmul(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {});
  const int features = features_of(node, state);
  const onnx::Tensor* b = constant_input(node, 1, state);
  if (!b || b->dims.size() != 2) fail(node, "the weight must be a constant matrix [in, out]");
  const int units = checked_int(node, b->dims[1], "units");
  Tensor weight = transposed_matrix(float_input(node, 1, {features, units}, "weight", state));
  Tensor bias({units});
  const auto& nodes = *state.nodes;
  if (state.index + 1 < nodes.size() && nodes[state.index + 1].op_type == "Add") {
    const onnx::Node& add = nodes[state.index + 1];
    if (add.inputs.size() != 2 || add.outputs.empty()) fail(add, "expects two inputs and one output");
    const std::size_t bias_slot = add.inputs[0] == node.outputs[0] ? 1 : 0;
    if (add.inputs[1 - bias_slot] != node.outputs[0]) fail(add, "must add a constant bias to the MatMul before it");
    bias = float_input(add, bias_slot, {units}, "bias", state);
    ++state.index;
    state.current = add.outputs[0];
  }
  add_dense(state, node, std::move(weight), std::move(bias));
}

void import_pool(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order",
                          "count_include_pad"});
  require_image(node, state);
  require_unit_dilations(node);
  if (node.outputs.size() != 1) fail(node, "the Indices output is not supported");
  const int kernel = square(node, ints_attribute(node, "kernel_shape", {}), "kernel_shape");
  const int stride = square(node, ints_attribute(node, "strides", {1, 1}), "strides");
  const auto pads = ints_attribute(node, "pads", {0, 0, 0, 0});
  if (pads != std::vector<std::int64_t>{0, 0, 0, 0}) fail(node, "pads " + ints_text(pads) + " are not supported (pooling is unpadded)");
  const std::string auto_pad = string_attribute(node, "auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "VALID") fail(node, "auto_pad " + auto_pad + " is not supported");
  if (int_attribute(node, "ceil_mode", 0) != 0) fail(node, "ceil_mode 1 is not supported");
  if (int_attribute(node, "storage_order", 0) != 0) fail(node, "storage_order 1 is not supported");
  LayerSpec layer = layer_of(node.op_type == "MaxPool" ? "maxpool2d" : "avgpool2d");
  layer.kernel_size = kernel;
  layer.stride = stride;
  const AxisExtent rows = axis_extent(state.shape[1], kernel, stride, Padding::valid, node.name);
  const AxisExtent cols = axis_extent(state.shape[2], kernel, stride, Padding::valid, node.name);
  add_layer(state, node, layer, {state.shape[0], rows.output, cols.output});
}

// GlobalAveragePool gives [N, C, 1, 1]; global_avg_pool2d gives [N, C], so the Flatten that
// follows it in an exported graph is part of the layer.
void import_global_avg_pool(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {});
  require_image(node, state);
  const auto& nodes = *state.nodes;
  if (state.index + 1 < nodes.size() && nodes[state.index + 1].op_type == "Flatten" &&
      !nodes[state.index + 1].inputs.empty() && nodes[state.index + 1].inputs[0] == node.outputs[0] &&
      int_attribute(nodes[state.index + 1], "axis", 1) == 1 && !nodes[state.index + 1].outputs.empty()) {
    ++state.index;
    state.current = nodes[state.index].outputs[0];
  }
  add_layer(state, node, layer_of("global_avg_pool2d"), {state.shape[0]});
}

void import_batch_norm(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"epsilon", "momentum", "training_mode", "spatial"});
  if (state.shape.empty()) fail(node, "needs an input");
  if (int_attribute(node, "training_mode", 0) != 0 || node.outputs.size() != 1)
    fail(node, "training mode (several outputs) is not supported");
  if (int_attribute(node, "spatial", 1) != 1) fail(node, "spatial 0 is not supported");
  const int channels = state.shape[0];
  LayerSpec layer = layer_of("batchnorm");
  layer.epsilon = float_attribute(node, "epsilon", 1e-5f);
  layer.momentum = float_attribute(node, "momentum", 0.9f);
  if (!(layer.epsilon > 0.0f)) fail(node, "epsilon must be positive");
  if (!(layer.momentum >= 0.0f && layer.momentum < 1.0f)) fail(node, "momentum must be in [0, 1)");
  add_parameters(state, node, {float_input(node, 1, {channels}, "scale", state), float_input(node, 2, {channels}, "B", state)});
  state.result.buffers.push_back(float_input(node, 3, {channels}, "input_mean", state));
  state.result.buffers.push_back(float_input(node, 4, {channels}, "input_var", state));
  for (float v : state.result.buffers.back().vector())
    if (!(v >= 0.0f)) fail(node, "input_var holds a negative or NaN variance");
  add_layer(state, node, layer, state.shape);
}

void import_activation(const onnx::Node& node, ImportState& state) {
  static const std::map<std::string, std::string> kinds = {
      {"Relu", "relu"}, {"LeakyRelu", "leaky_relu"}, {"Sigmoid", "sigmoid"}, {"Tanh", "tanh"}, {"Identity", "linear"}};
  allow_attributes(node, node.op_type == "LeakyRelu" ? std::set<std::string>{"alpha"} : std::set<std::string>{});
  LayerSpec layer = layer_of(kinds.at(node.op_type));
  layer.slope = float_attribute(node, "alpha", 0.01f);
  add_layer(state, node, layer, state.shape);
}

// Whether this is the graph's last node and the loss's own output function (softmax for
// softmax_cross_entropy, sigmoid for sigmoid_binary_cross_entropy): then it is not a layer.
bool is_loss_output(const onnx::Node& node, const ImportState& state) {
  if (state.index + 1 != state.nodes->size()) return false;
  return (node.op_type == "Softmax" && state.loss == "softmax_cross_entropy") ||
         (node.op_type == "Sigmoid" && state.loss == "sigmoid_binary_cross_entropy");
}

void import_softmax(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"axis"});
  features_of(node, state);
  const std::int64_t axis = int_attribute(node, "axis", 1);
  if (axis != 1 && axis != -1) fail(node, "axis " + std::to_string(axis) + " is not the features axis (1)");
  if (is_loss_output(node, state)) return;
  add_layer(state, node, layer_of("softmax"), state.shape);
}

void import_flatten(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"axis"});
  if (int_attribute(node, "axis", 1) != 1) fail(node, "only axis 1 (keep the batch) is supported");
  add_layer(state, node, layer_of("flatten"), {static_cast<int>(element_count(state.shape))});
}

// Reshape to [N, F]: the shape constant is [0 or -1 or N, -1 or F] with F the values per sample.
void import_reshape(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"allowzero"});
  if (int_attribute(node, "allowzero", 0) != 0) fail(node, "allowzero 1 is not supported");
  const onnx::Tensor* target = constant_input(node, 1, state);
  const long long features = static_cast<long long>(element_count(state.shape));
  if (!target || target->data_type != onnx::data_type_int64 || target->ints.size() != 2 ||
      !(target->ints[1] == -1 || target->ints[1] == features) || (target->ints[0] == -1 && target->ints[1] == -1) ||
      target->ints[0] < -1)
    fail(node, "only a reshape to [N, -1] (a flatten) is supported");
  add_layer(state, node, layer_of("flatten"), {static_cast<int>(features)});
}

void import_dropout(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"ratio", "seed", "is_test"});
  LayerSpec layer = layer_of("dropout");
  layer.p = float_attribute(node, "ratio", 0.5f);
  if (const onnx::Tensor* ratio = constant_input(node, 1, state)) {
    if (ratio->data_type != onnx::data_type_float || ratio->floats.size() != 1) fail(node, "ratio must be one float");
    layer.p = ratio->floats[0];
  }
  if (constant_input(node, 2, state)) fail(node, "the training_mode input is not supported");
  if (!(layer.p >= 0.0f && layer.p < 1.0f)) fail(node, "ratio must be in [0, 1)");
  add_layer(state, node, layer, state.shape);
}

// A Pad that adds nothing (PyTorch writes one before each AvgPool2d): no layer.
void import_zero_pad(const onnx::Node& node, ImportState& state) {
  allow_attributes(node, {"mode"});
  if (string_attribute(node, "mode", "constant") != "constant") fail(node, "only constant padding is supported");
  const onnx::Tensor* pads = constant_input(node, 1, state);
  const bool none = pads && pads->data_type == onnx::data_type_int64 &&
                    std::all_of(pads->ints.begin(), pads->ints.end(), [](std::int64_t p) { return p == 0; });
  if (!none || node.inputs.size() > 3) fail(node, "only a padding of zero elements is supported (use the convolution's pads)");
}

// The one table of ONNX ops the engine reads.
const std::map<std::string, std::function<void(const onnx::Node&, ImportState&)>>& op_importers() {
  static const std::map<std::string, std::function<void(const onnx::Node&, ImportState&)>> table = {
      {"Conv", import_conv},           {"Gemm", import_gemm},        {"MatMul", import_matmul},
      {"MaxPool", import_pool},        {"AveragePool", import_pool}, {"BatchNormalization", import_batch_norm},
      {"GlobalAveragePool", import_global_avg_pool},
      {"Relu", import_activation},     {"LeakyRelu", import_activation},
      {"Sigmoid", [](const onnx::Node& node, ImportState& state) {
         if (is_loss_output(node, state)) return allow_attributes(node, {});
         import_activation(node, state);
       }},
      {"Tanh", import_activation},     {"Identity", import_activation}, {"Softmax", import_softmax},
      {"Flatten", import_flatten},     {"Reshape", import_reshape},     {"Dropout", import_dropout},
      {"Pad", import_zero_pad},
  };
  return table;
}

std::string supported_ops() {
  std::string names;
  for (const auto& [name, importer] : op_importers()) names += (names.empty() ? "" : ", ") + name;
  return names + ", Constant and a leading Transpose from NHWC";
}

// The graph's one real input (older files also list the initializers as inputs) and the leading
// Transpose from NHWC when there is one; sets the model's input shape.
std::size_t read_input(const onnx::Graph& graph, ImportState& state) {
  const onnx::ValueInfo* input = nullptr;
  for (const onnx::ValueInfo& info : graph.inputs) {
    if (state.constants.count(info.name)) continue;
    if (input) throw std::invalid_argument("the graph has several inputs ('" + input->name + "', '" + info.name + "'); an image classifier has one");
    input = &info;
  }
  if (!input) throw std::invalid_argument("the graph has no input");
  const std::string where = "input '" + input->name + "'";
  if (input->elem_type == onnx::data_type_int64)
    throw std::invalid_argument(where + ": int64 (token indices): a sequence model is not an image classifier");
  if (input->elem_type != onnx::data_type_float) throw std::invalid_argument(where + ": expected float32 (1), got data type " + std::to_string(input->elem_type));
  if (!input->has_shape || (input->dims.size() != 2 && input->dims.size() != 4))
    throw std::invalid_argument(where + ": expected a shape [N, C, H, W], [N, H, W, C] or [N, F]");
  Shape dims;
  for (std::size_t i = 1; i < input->dims.size(); ++i) {
    const std::int64_t d = input->dims[i].value;
    if (d <= 0 || d > INT32_MAX) throw std::invalid_argument(where + ": dimension " + std::to_string(i) + " must be a positive number");
    dims.push_back(static_cast<int>(d));
  }
  state.current = input->name;
  std::size_t first = 0;
  const auto& nodes = graph.nodes;
  if (!nodes.empty() && nodes[0].op_type == "Transpose") {
    const onnx::Node& node = nodes[0];
    allow_attributes(node, {"perm"});
    if (dims.size() != 3 || node.inputs.size() != 1 || node.inputs[0] != input->name || node.outputs.size() != 1 ||
        ints_attribute(node, "perm", {}) != std::vector<std::int64_t>{0, 3, 1, 2})
      fail(node, "only a Transpose of the input from NHWC to NCHW (perm [0, 3, 1, 2]) is supported");
    dims = {dims[2], dims[0], dims[1]};
    state.current = node.outputs[0];
    first = 1;
  }
  check_values_per_sample(dims, where);
  state.result.spec.input = dims;
  state.shape = dims;
  return first;
}

void read_metadata(const onnx::Model& model, ImportState& state) {
  ClassifierMetadata& metadata = state.result.metadata;
  // The kind first: a character model is named as such, whatever else its metadata holds.
  std::vector<std::pair<std::string, std::string>> entries = model.metadata;
  std::stable_partition(entries.begin(), entries.end(), [](const auto& entry) { return entry.first == "profundo.kind"; });
  for (const auto& [key, value] : entries) {
    try {
      if (key == "profundo.loss") {
        if (value != "softmax_cross_entropy" && value != "sigmoid_binary_cross_entropy" && value != "mean_squared_error")
          throw std::invalid_argument("unknown loss '" + value + "'");
        state.loss = value;
      } else if (key == "profundo.normalization") {
        nlohmann::json json = nlohmann::json::parse(value);
        if (!json.is_object()) throw std::invalid_argument("expected an object");
        for (const char* derived : {"formula", "scale", "shift"}) json.erase(derived);
        metadata.normalization = normalization_from_json(json);
      } else if (key == "profundo.kind") {
        if (value == onnx_kind_text)
          throw std::invalid_argument("this is a character model (a text run): open it in the text lab, not as an image classifier");
        if (value != onnx_kind_image) throw std::invalid_argument("unknown kind '" + value + "'");
      } else if (key == "profundo.dataset") {
        if (value != "mnist" && value != "fashion-mnist")
          throw std::invalid_argument("unknown dataset '" + value + "' (mnist or fashion-mnist)");
        metadata.dataset = value;
      } else if (key == "profundo.dropout") {
        state.dropout = nlohmann::json::parse(value);
        if (!state.dropout.is_array() || state.dropout.size() > onnx::max_nodes)
          throw std::invalid_argument("expected a list of {layer, p}");
      } else if (key == "profundo.class_names") {
        const nlohmann::json json = nlohmann::json::parse(value);
        if (!json.is_array() || json.size() > 10000) throw std::invalid_argument("expected a list of names");
        metadata.class_names.clear();
        for (const auto& name : json) {
          if (!name.is_string()) throw std::invalid_argument("expected a list of names");
          metadata.class_names.push_back(name.get<std::string>());
        }
      }
    } catch (const nlohmann::json::exception& error) {
      throw std::invalid_argument("metadata " + key + ": " + error.what());
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument("metadata " + key + ": " + error.what());
    }
  }
}

// Puts back the dropout layers our export left out (the identity at inference), at the positions
// and with the p the metadata gives, in increasing position order.
void restore_dropout(ImportState& state) {
  std::vector<LayerSpec>& layers = state.result.spec.layers;
  long long previous = -1;
  for (const nlohmann::json& entry : state.dropout) {
    const std::string where = "metadata profundo.dropout: ";
    if (!entry.is_object() || !entry.contains("layer") || !entry.contains("p") || !entry.at("layer").is_number_integer() ||
        !entry.at("p").is_number())
      throw std::invalid_argument(where + "expected entries {\"layer\": index, \"p\": probability}");
    const long long position = entry.at("layer").get<long long>();
    const double p = entry.at("p").get<double>();
    if (position <= previous || position > static_cast<long long>(layers.size()))
      throw std::invalid_argument(where + "layer " + std::to_string(position) + " is out of order or beyond the model's " +
                                  std::to_string(layers.size()) + " layers");
    if (!(p >= 0.0 && p < 1.0)) throw std::invalid_argument(where + "p must be in [0, 1), got " + std::to_string(p));
    LayerSpec dropout = layer_of("dropout");
    dropout.p = static_cast<float>(p);
    layers.insert(layers.begin() + position, dropout);
    previous = position;
  }
}

ImportedClassifier import_model(const onnx::Model& model) {
  for (const auto& [domain, version] : model.opsets)
    if ((domain.empty() || domain == "ai.onnx") && (version < 9 || version > 22))
      throw std::invalid_argument("opset " + std::to_string(version) + " is not supported (9 to 22 are)");
  ImportState state;
  read_metadata(model, state);
  const onnx::Graph& graph = model.graph;
  for (const onnx::Tensor& tensor : graph.initializers) state.constants[tensor.name] = &tensor;
  state.constant_values.reserve(graph.nodes.size());  // pointers into it stay valid
  for (const onnx::Node& node : graph.nodes) {
    if (node.op_type != "Constant") continue;
    allow_attributes(node, {"value"});
    const onnx::Attribute* value = onnx::find_attribute(node, "value");
    if (!value || value->tensor.empty() || node.outputs.size() != 1) fail(node, "only a tensor 'value' is supported");
    state.constant_values.push_back(value->tensor[0]);
    state.constants[node.outputs[0]] = &state.constant_values.back();
  }
  state.nodes = &graph.nodes;
  state.index = read_input(graph, state);
  std::string last_output;
  for (; state.index < graph.nodes.size(); ++state.index) {
    const onnx::Node& node = graph.nodes[state.index];
    if (node.op_type == "Constant") continue;
    if (!node.domain.empty() && node.domain != "ai.onnx") fail(node, "ops of domain '" + node.domain + "' are not supported");
    const auto importer = op_importers().find(node.op_type);
    if (importer == op_importers().end())
      fail(node, "unsupported op '" + node.op_type + "' (Profundo reads " + supported_ops() + ")");
    if (node.inputs.empty() || node.inputs[0] != state.current)
      fail(node, "does not read the previous layer's output '" + state.current + "': only a chain of layers is supported");
    if (node.outputs.empty() || node.outputs[0].empty()) fail(node, "has no output");
    last_output = node.outputs[0];
    state.current = node.outputs[0];
    importer->second(node, state);  // may consume the next node too (MatMul + Add) and move current
    last_output = state.current;
  }
  if (state.result.spec.layers.empty()) throw std::invalid_argument("the graph has no layers");
  bool returns_result = false;
  for (const onnx::ValueInfo& output : graph.outputs) returns_result |= output.name == last_output;
  if (!returns_result) throw std::invalid_argument("the graph does not return the output of its last node ('" + last_output + "')");
  state.result.spec.loss = state.loss;
  restore_dropout(state);
  if (state.result.metadata.class_names.empty()) {
    const int classes = static_cast<int>(element_count(state.shape));
    for (int c = 0; c < classes && c < 10000; ++c) state.result.metadata.class_names.push_back(std::to_string(c));
  }
  return std::move(state.result);
}

}  // namespace

ImportedClassifier import_onnx(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  const onnx::Model model = onnx::decode_onnx(bytes, size, source);
  try {
    return import_model(model);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(source + ": " + error.what());
  }
}

void load_weights(Model& model, const ImportedClassifier& imported) {
  auto& parameters = model.parameters();
  if (parameters.size() != imported.parameters.size())
    throw std::invalid_argument("ONNX import: the model has " + std::to_string(parameters.size()) + " parameters, the file " +
                                std::to_string(imported.parameters.size()));
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (parameters[i].value->shape() != imported.parameters[i].shape())
      throw std::invalid_argument("ONNX import: parameter " + std::to_string(i) + " has shape " +
                                  to_string(imported.parameters[i].shape()) + ", the model expects " +
                                  to_string(parameters[i].value->shape()));
    *parameters[i].value = imported.parameters[i];
  }
  std::size_t next = 0;
  for (auto& layer : model.layers())
    for (Tensor* buffer : layer->buffers()) {
      if (next >= imported.buffers.size() || buffer->shape() != imported.buffers[next].shape())
        throw std::invalid_argument("ONNX import: the batch-norm statistics do not match the model");
      *buffer = imported.buffers[next++];
    }
}

}  // namespace profundo
