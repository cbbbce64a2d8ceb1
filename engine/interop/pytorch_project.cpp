// ClassifierSession -> PyTorch project: model.py generated from the layers, state.bin from the
// parameters and optimiser state, run.json from the settings, the rest embedded as written.
#include "interop/pytorch_project.hpp"

#include "data/augmentation.hpp"
#include "interop/onnx_classifier.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv2d.hpp"
#include "layers/padding.hpp"
#include "layers/pool2d.hpp"
#include "settings/settings.hpp"
#include "train/config_json.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <map>
#include <stdexcept>

namespace profundo {

namespace embedded {  // generated from interop/pytorch/ by engine/CMakeLists.txt
extern const char* const pytorch_data_py;
extern const char* const pytorch_optim_py;
extern const char* const pytorch_train_py;
extern const char* const pytorch_README_md;
}  // namespace embedded

namespace {

std::string number(float value) { return settings_detail::value_of(value).dump(); }  // shortest text that reads back as value

// One Profundo layer as torch code: the module expression, and the prefix of its parameters'
// names inside it ("" or ".1" when a ZeroPad2d or Flatten comes first).
struct TorchLayer {
  std::string code;
  std::string inner;
};

TorchLayer torch_layer(const LayerSpec& spec, Layer& layer, const Shape& in, std::size_t index) {
  const auto image = in.size() > 1;
  const std::string type = spec.type;
  if (type == "conv2d") {
    auto& conv = static_cast<Conv2d&>(layer);
    const int k = conv.kernel_size(), s = conv.stride();
    const AxisExtent rows = axis_extent(in[1], k, s, conv.padding(), "conv2d");
    const AxisExtent cols = axis_extent(in[2], k, s, conv.padding(), "conv2d");
    std::string conv_code = "nn.Conv2d(" + std::to_string(conv.in_channels()) + ", " + std::to_string(conv.out_channels()) +
                            ", kernel_size=" + std::to_string(k) + (s != 1 ? ", stride=" + std::to_string(s) : "");
    const bool symmetric = rows.before == rows.after && cols.before == cols.after && rows.before == cols.before;
    if (symmetric)
      return {conv_code + (rows.before > 0 ? ", padding=" + std::to_string(rows.before) : "") + ")", ""};
    // "same" with an even kernel pads one more zero after than before (TensorFlow's rule).
    return {"nn.Sequential(nn.ZeroPad2d((" + std::to_string(cols.before) + ", " + std::to_string(cols.after) + ", " +
                std::to_string(rows.before) + ", " + std::to_string(rows.after) + ")), " + conv_code + "))",
            ".1"};
  }
  if (type == "dense") {
    const std::string linear = "nn.Linear(" + std::to_string(element_count(in)) + ", " + std::to_string(spec.units) + ")";
    return image ? TorchLayer{"nn.Sequential(nn.Flatten(), " + linear + ")", ".1"} : TorchLayer{linear, ""};
  }
  if (type == "maxpool2d" || type == "avgpool2d") {
    auto& pool = static_cast<Pool2d&>(layer);
    return {std::string(type == "maxpool2d" ? "nn.MaxPool2d" : "nn.AvgPool2d") + "(kernel_size=" +
                std::to_string(pool.kernel_size()) + ", stride=" + std::to_string(pool.stride()) + ")",
            ""};
  }
  if (type == "global_avg_pool2d") return {"nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())", ""};
  if (type == "batchnorm") {
    auto& norm = static_cast<BatchNorm&>(layer);
    return {std::string(image ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(") + std::to_string(in[0]) + ", eps=" +
                number(norm.epsilon()) + ", momentum=1 - " + number(norm.momentum()) + ")",
            ""};
  }
  if (type == "relu") return {"nn.ReLU()", ""};
  if (type == "sigmoid") return {"nn.Sigmoid()", ""};
  if (type == "tanh") return {"nn.Tanh()", ""};
  if (type == "leaky_relu") return {"nn.LeakyReLU(" + number(spec.slope) + ")", ""};
  if (type == "linear") return {"nn.Identity()", ""};
  if (type == "flatten") return {"nn.Flatten()", ""};
  if (type == "dropout") return {"nn.Dropout(" + number(spec.p) + ")", ""};
  if (type == "softmax") return {image ? "nn.Sequential(nn.Flatten(), nn.Softmax(dim=1))" : "nn.Softmax(dim=1)", ""};
  throw std::invalid_argument("PyTorch export: layer " + std::to_string(index) + " (" + type +
                              ") has no PyTorch mapping here (image classifiers only)");
}

// torch's name for a Profundo parameter or buffer name.
std::string torch_name(const std::string& name) {
  static const std::map<std::string, std::string> names = {
      {"W", "weight"}, {"b", "bias"}, {"gamma", "weight"}, {"beta", "bias"}};
  const auto found = names.find(name);
  return found == names.end() ? name : found->second;
}

// The state_dict names of the model's parameters (Model::parameters() order) and buffers.
struct TorchNames {
  std::vector<std::string> parameters, buffers;
  std::vector<bool> is_weight;
};

TorchNames torch_names(Model& model, const std::vector<std::string>& prefixes) {
  TorchNames names;
  for (std::size_t i = 0; i < model.layers().size(); ++i) {
    Layer& layer = *model.layers()[i];
    for (const Parameter& parameter : layer.parameters()) {
      names.parameters.push_back(prefixes[i] + "." + torch_name(parameter.name));
      names.is_weight.push_back(parameter.is_weight);
    }
    const std::vector<std::string> buffer_names = {"running_mean", "running_var"};  // BatchNorm's, in buffers() order
    const auto buffers = layer.buffers();
    if (buffers.size() > buffer_names.size()) throw std::logic_error("PyTorch export: unexpected layer buffers");
    for (std::size_t b = 0; b < buffers.size(); ++b) names.buffers.push_back(prefixes[i] + "." + buffer_names[b]);
  }
  return names;
}

// Each layer's torch expression and parameter prefix ("layers.3" or "layers.3.1").
std::vector<TorchLayer> torch_layers(Model& model) {
  const ModelSpec& spec = model.spec();
  if (spec.loss != "softmax_cross_entropy")
    throw std::invalid_argument("PyTorch export: loss " + spec.loss + " has no PyTorch mapping here (softmax_cross_entropy only)");
  std::vector<TorchLayer> layers;
  Shape shape = spec.input;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    TorchLayer layer = torch_layer(spec.layers[i], *model.layers()[i], shape, i);
    layer.inner = "layers." + std::to_string(i) + layer.inner;
    layers.push_back(layer);
    shape = model.layers()[i]->output_shape();
  }
  return layers;
}

std::vector<std::string> prefixes_of(const std::vector<TorchLayer>& layers) {
  std::vector<std::string> prefixes;
  for (const auto& layer : layers) prefixes.push_back(layer.inner);
  return prefixes;
}

// state.bin and its index state.json.
class StateWriter {
 public:
  void add(const std::string& name, const Tensor& tensor) {
    append(name, "float32", tensor.shape(), tensor.data(), tensor.size() * sizeof(float));
  }
  void add_indices(const std::string& name, const std::vector<int>& indices) {
    std::vector<std::int32_t> values(indices.begin(), indices.end());
    append(name, "int32", {static_cast<int>(values.size())}, values.data(), values.size() * sizeof(std::int32_t));
  }
  std::string bytes() const { return bytes_; }
  std::string index() const {
    return nlohmann::json{{"format", "little-endian, row-major, at byte offset in state.bin"}, {"tensors", entries_}}.dump(1) + "\n";
  }

 private:
  void append(const std::string& name, const char* dtype, const Shape& shape, const void* data, std::size_t size) {
    entries_.push_back({{"name", name}, {"dtype", dtype}, {"shape", shape}, {"offset", bytes_.size()}});
    // WebAssembly and the native targets here are little-endian: the bytes are the file's.
    bytes_.append(static_cast<const char*>(data), size);
  }
  nlohmann::json entries_ = nlohmann::json::array();
  std::string bytes_;
};

// Each parameter's moments in Engine order (optim/*.hpp): state() holds per_kind copies of the
// parameter list, one per moment. An optimiser that has not stepped yet has zeros.
std::vector<std::string> moment_names(const OptimizerConfig& optimizer) {
  if (optimizer.kind == "momentum") return {"v"};
  if (optimizer.kind == "rmsprop") return {"s"};
  if (optimizer.kind == "adam") return optimizer.amsgrad ? std::vector<std::string>{"v", "s", "s_max"} : std::vector<std::string>{"v", "s"};
  return {};
}

}  // namespace

std::string pytorch_model_source(Model& model) {
  const std::vector<TorchLayer> layers = torch_layers(model);
  const ModelSpec& spec = model.spec();
  const TorchNames names = torch_names(model, prefixes_of(layers));
  std::string source =
      "\"\"\"The Profundo model as a torch.nn.Module: one entry of `layers` per Profundo layer, in order, with\n"
      "the same weight layouts (convolutions [out, in, kH, kW], dense [out, in]), so state.bin loads as is.\n"
      "Input: float32 [N, " + to_string(spec.input).substr(1) + " of normalised pixels (data.py). Output: logits [N, " +
      std::to_string(element_count(model.output_shape())) + "] (the loss applies the softmax).\n\"\"\"\n"
      "from torch import nn\n\n"
      "# Weights that L2 regularisation applies to (not biases, not batch norm's gamma and beta).\n"
      "L2_WEIGHTS = [";
  bool first = true;
  for (std::size_t p = 0; p < names.parameters.size(); ++p)
    if (names.is_weight[p]) source += (first ? "\"" : ", \"") + names.parameters[p] + "\"", first = false;
  source += "]\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layers = nn.Sequential(\n";
  for (std::size_t i = 0; i < layers.size(); ++i)
    source += "            " + layers[i].code + ",  # " + std::to_string(i) + ": " + spec.layers[i].type + " -> " +
              to_string(model.layers()[i]->output_shape()) + "\n";
  source += "        )\n\n    def forward(self, x):\n        return self.layers(x)\n";
  return source;
}

const std::string& pytorch_template(const std::string& name) {
  static const std::map<std::string, std::string> templates = {
      {"data.py", embedded::pytorch_data_py},
      {"optim.py", embedded::pytorch_optim_py},
      {"train.py", embedded::pytorch_train_py},
      {"README.md", embedded::pytorch_README_md}};
  const auto found = templates.find(name);
  if (found == templates.end()) throw std::invalid_argument("no PyTorch template named " + name);
  return found->second;
}

std::vector<ProjectFile> pytorch_project(ClassifierSession& session) {
  Model& model = session.model();
  const std::vector<TorchLayer> layers = torch_layers(model);
  const TorchNames names = torch_names(model, prefixes_of(layers));

  StateWriter state;
  std::size_t p = 0, b = 0;
  for (auto& layer : model.layers()) {
    for (const Parameter& parameter : layer->parameters()) state.add(names.parameters[p++], *parameter.value);
    for (Tensor* buffer : layer->buffers()) state.add(names.buffers[b++], *buffer);
  }
  const std::vector<std::string> moments = moment_names(session.train_config().optimizer);
  const std::vector<Tensor>& optimizer_state = session.trainer().optimizer().state();
  const std::vector<Parameter>& parameters = model.parameters();
  for (std::size_t m = 0; m < moments.size(); ++m)
    for (std::size_t i = 0; i < parameters.size(); ++i)
      state.add("optimizer." + moments[m] + "." + names.parameters[i],
                optimizer_state.empty() ? Tensor(parameters[i].value->shape(), 0.0f)
                                        : optimizer_state[m * parameters.size() + i]);
  state.add_indices("split.train", session.split_indices(Split::train));
  state.add_indices("split.dev", session.split_indices(Split::dev));

  const std::string& trained_on = session.dataset_name();
  const std::string dataset = trained_on.substr(0, trained_on.rfind("-train"));
  const PixelNormalization pixel = pixel_normalization(session.normalization());
  nlohmann::json normalization = to_json(session.normalization());
  normalization["formula"] = "input = pixel * scale + shift, pixel in 0..255";
  normalization["scale"] = settings_detail::value_of(pixel.scale);
  normalization["shift"] = settings_detail::value_of(pixel.shift);
  const nlohmann::json run = {
      {"about", "A Profundo run exported for PyTorch: see README.md"},
      {"dataset", dataset},
      {"class_names", class_names_of(dataset)},
      {"model", to_json(model.spec())},
      {"training", to_json(session.train_config())},
      {"data", to_json(session.data_config())},
      {"normalization", normalization},
      {"progress",
       {{"epoch", session.epoch()}, {"steps", session.trainer().optimizer().steps()}, {"next_in_epoch", session.next_in_epoch()}}}};

  return {{"README.md", pytorch_template("README.md")},
          {"model.py", pytorch_model_source(model)},
          {"data.py", pytorch_template("data.py")},
          {"optim.py", pytorch_template("optim.py")},
          {"train.py", pytorch_template("train.py")},
          {"run.json", run.dump(1) + "\n"},
          {"state.json", state.index()},
          {"state.bin", state.bytes(), true}};
}

}  // namespace profundo
