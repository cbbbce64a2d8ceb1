#include "model/layer_types.hpp"

#include "layers/activation.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv2d.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/flatten.hpp"
#include "layers/initializer.hpp"
#include "layers/padding.hpp"
#include "layers/pool2d.hpp"
#include "layers/softmax.hpp"
#include "sequence/embedding.hpp"
#include "sequence/gru.hpp"
#include "sequence/lstm.hpp"
#include "sequence/rnn.hpp"

#include <stdexcept>

namespace profundo {

namespace {

// "auto" picks He for layers followed by a ReLU-like activation (possibly after batch norm),
// Xavier otherwise: the course's recipe.
Init weight_init(const LayerBuild& build) {
  const std::string& name = build.layer().init;
  if (name != "auto") return parse_init(name);
  const auto& layers = build.spec.layers;
  std::size_t next = build.index + 1;
  while (next < layers.size() && layers[next].type == "batchnorm") ++next;
  const bool feeds_relu = next < layers.size() && (layers[next].type == "relu" || layers[next].type == "leaky_relu");
  return feeds_relu ? Init::he_normal : Init::xavier_uniform;
}

// The multiply-adds of a product with `outputs` results of `inputs` terms each.
double product_flops(double inputs, double outputs) { return 2.0 * inputs * outputs; }

LayerType activation(const std::string& name, std::vector<LayerFieldUse> fields = {}) {
  return {name, LayerFamily::any, false, std::move(fields), nullptr,
          [name](const LayerBuild& b) {
            return std::make_unique<Activation>(parse_activation(name), b.input, b.layer().slope);
          },
          nullptr, nullptr, "model.type." + name};
}

// Pooling's stride 0 means the kernel size (non-overlapping windows).
int pool_stride(const LayerSpec& layer) { return layer.stride == 0 ? layer.kernel_size : layer.stride; }

LayerType recurrent(const std::string& name) {
  return {name,
          LayerFamily::sequence,
          false,
          {{"units", ""}},
          [](LayerSpec& l) { l.units = 32; },
          [name](const LayerBuild& b) -> std::unique_ptr<Layer> {
            if (name == "rnn") return std::make_unique<Rnn>(b.features(), b.layer().units);
            if (name == "gru") return std::make_unique<Gru>(b.features(), b.layer().units);
            return std::make_unique<Lstm>(b.features(), b.layer().units);
          },
          // Gates × (W_x, W_h and the bias), the GRU with its second bias.
          [name](const LayerSpec& l, const Shape& input) {
            const long double h = l.units;
            return recurrent_gate_count(name) * h * (static_cast<long double>(element_count(input)) + h + (name == "gru" ? 2 : 1));
          },
          // Per time step: gates · H outputs of x W_x + h W_h.
          [name](const LayerSpec&, const Shape& input, const Shape& output) {
            const double outputs = static_cast<double>(element_count(output));
            return recurrent_gate_count(name) * product_flops(static_cast<double>(element_count(input)) + outputs, outputs);
          },
          "model.type." + name};
}

}  // namespace

const Settings<LayerSpec>& layer_fields() {
  static const Settings<LayerSpec> rows = {
      field("units", &LayerSpec::units).at_least(1).url({"u", "units"}).label("model.field.units"),
      field("vocabulary_size", &LayerSpec::vocabulary_size).at_least(1).url({"v", "vocabulary_size"}).label("model.field.vocabulary_size"),
      field("filters", &LayerSpec::filters).at_least(1).url({"f", "filters"}).label("model.field.filters"),
      field("kernel_size", &LayerSpec::kernel_size).at_least(1).url({"k", "kernel_size"}).label("model.field.kernel_size"),
      field("stride", &LayerSpec::stride).at_least(0).url({"s", "stride"}).label("model.field.stride"),
      field("padding", &LayerSpec::padding).choices({"valid", "same"}).url({"pad", "padding"}).label("model.field.padding"),
      field("init", &LayerSpec::init).choices(init_names()).url({"init"}).label("model.field.init"),
      field("bias", &LayerSpec::bias).url({"bias"}).label("model.field.bias"),
      field("slope", &LayerSpec::slope).at_least(0).below(1).url({"slope"}).label("model.field.slope"),
      field("p", &LayerSpec::p).at_least(0).below(1).url({"p"}).label("model.field.p"),
      field("momentum", &LayerSpec::momentum).at_least(0).below(1).url({"m", "momentum"}).label("model.field.momentum"),
      field("epsilon", &LayerSpec::epsilon).above(0).url({"eps", "epsilon"}).label("model.field.epsilon"),
  };
  return rows;
}

const std::vector<LayerType>& layer_types() {
  static const std::vector<LayerType> rows = {
      {"dense", LayerFamily::any, false, {{"units", ""}, {"init", ""}, {"bias", ""}}, [](LayerSpec& l) { l.units = 10; },
       [](const LayerBuild& b) { return std::make_unique<Dense>(b.features(), b.layer().units, weight_init(b), b.layer().bias); },
       [](const LayerSpec& l, const Shape& input) {
         return static_cast<long double>(element_count(input)) * l.units + l.units;
       },
       [](const LayerSpec&, const Shape& input, const Shape& output) {
         return product_flops(static_cast<double>(element_count(input)), static_cast<double>(element_count(output)));
       },
       "model.type.dense"},
      {"conv2d", LayerFamily::feedforward, true,
       {{"filters", ""}, {"kernel_size", ""}, {"stride", "1"}, {"padding", ""}, {"init", ""}, {"bias", ""}},
       [](LayerSpec& l) { l.filters = 8, l.kernel_size = 3; },
       [](const LayerBuild& b) {
         const LayerSpec& l = b.layer();
         return std::make_unique<Conv2d>(b.input, l.filters, l.kernel_size, l.stride == 0 ? 1 : l.stride,
                                         parse_padding(l.padding), weight_init(b), l.bias);
       },
       [](const LayerSpec& l, const Shape& input) {
         const long double kernel = static_cast<long double>(l.kernel_size) * l.kernel_size;
         return static_cast<long double>(l.filters) * input[0] * kernel + l.filters;
       },
       // Each output element: in_channels · k · k multiply-adds.
       [](const LayerSpec& l, const Shape& input, const Shape& output) {
         return product_flops(static_cast<double>(input.at(0)) * l.kernel_size * l.kernel_size,
                              static_cast<double>(element_count(output)));
       },
       "model.type.conv2d"},
      {"maxpool2d", LayerFamily::feedforward, true, {{"kernel_size", ""}, {"stride", "kernel_size"}},
       [](LayerSpec& l) { l.kernel_size = 2; },
       [](const LayerBuild& b) { return std::make_unique<MaxPool2d>(b.input, b.layer().kernel_size, pool_stride(b.layer())); },
       nullptr, nullptr, "model.type.maxpool2d"},
      {"avgpool2d", LayerFamily::feedforward, true, {{"kernel_size", ""}, {"stride", "kernel_size"}},
       [](LayerSpec& l) { l.kernel_size = 2; },
       [](const LayerBuild& b) { return std::make_unique<AvgPool2d>(b.input, b.layer().kernel_size, pool_stride(b.layer())); },
       nullptr, nullptr, "model.type.avgpool2d"},
      {"global_avg_pool2d", LayerFamily::feedforward, true, {}, nullptr,
       [](const LayerBuild& b) { return std::make_unique<GlobalAvgPool2d>(b.input); }, nullptr, nullptr,
       "model.type.global_avg_pool2d"},
      {"flatten", LayerFamily::feedforward, false, {}, nullptr,
       [](const LayerBuild& b) { return std::make_unique<Flatten>(b.input); }, nullptr, nullptr, "model.type.flatten"},
      {"dropout", LayerFamily::any, false, {{"p", ""}}, nullptr,
       [](const LayerBuild& b) -> std::unique_ptr<Layer> {
         // After the output layer it would drop the model's answers (and their gradients) while training.
         if (b.index + 1 == b.spec.layers.size())
           throw std::invalid_argument("dropout cannot be the last layer: it would drop the model's outputs; "
                                       "put it before the output layer");
         return std::make_unique<Dropout>(b.input, b.layer().p);
       },
       nullptr, nullptr, "model.type.dropout"},
      {"batchnorm", LayerFamily::feedforward, false, {{"momentum", ""}, {"epsilon", ""}}, nullptr,
       [](const LayerBuild& b) { return std::make_unique<BatchNorm>(b.input, b.layer().momentum, b.layer().epsilon); },
       // γ and β per channel (or per feature).
       [](const LayerSpec&, const Shape& input) { return input.empty() ? 0.0L : 2.0L * input[0]; }, nullptr,
       "model.type.batchnorm"},
      activation("relu"),
      activation("leaky_relu", {{"slope", ""}}),
      activation("sigmoid"),
      activation("tanh"),
      activation("linear"),
      {"softmax", LayerFamily::feedforward, false, {}, nullptr,
       [](const LayerBuild& b) { return std::make_unique<Softmax>(b.features()); }, nullptr, nullptr, "model.type.softmax"},
      {"embedding", LayerFamily::sequence, false, {{"vocabulary_size", ""}, {"units", ""}},
       [](LayerSpec& l) { l.vocabulary_size = 64, l.units = 16; },
       [](const LayerBuild& b) {
         if (b.index != 0 || b.input != Shape{1})
           throw std::invalid_argument("embedding must be the first layer, on model.input [1] (one token index per step), "
                                       "got input " + to_string(b.input));
         return std::make_unique<Embedding>(b.layer().vocabulary_size, b.layer().units);
       },
       [](const LayerSpec& l, const Shape&) { return static_cast<long double>(l.vocabulary_size) * l.units; }, nullptr,
       "model.type.embedding"},
      recurrent("rnn"),
      recurrent("gru"),
      recurrent("lstm"),
  };
  return rows;
}

const LayerType& layer_type(const std::string& name) {
  std::string names;
  const auto& rows = layer_types();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].name == name) return rows[i];
    names += (i == 0 ? "" : i + 1 == rows.size() ? " or " : ", ") + rows[i].name;
  }
  throw std::invalid_argument("unknown layer type '" + name + "' (expected " + names + ")");
}

Settings<LayerSpec> fields_of(const LayerType& type) {
  Settings<LayerSpec> rows;
  for (const auto& use : type.fields)
    for (const auto& row : layer_fields())
      if (row.info.path == use.name) rows.push_back(row);
  return rows;
}

void validate_layer(const LayerSpec& layer, const std::string& where) {
  validate_settings(fields_of(layer_type(layer.type)), layer, where);
}

nlohmann::json describe_layer_types() {
  static const char* const families[] = {"feedforward", "sequence", "any"};
  nlohmann::json types = nlohmann::json::array();
  for (const auto& type : layer_types()) {
    nlohmann::json fields = nlohmann::json::array(), zero_means = nlohmann::json::object();
    for (const auto& use : type.fields) {
      fields.push_back(use.name);
      if (!use.zero_means.empty()) zero_means[use.name] = use.zero_means;
    }
    LayerSpec example;
    example.type = type.name;
    if (type.example) type.example(example);
    types.push_back({{"name", type.name},
                     {"family", families[static_cast<int>(type.family)]},
                     {"image_input", type.image_input},
                     {"fields", fields},
                     {"zero_means", zero_means},
                     {"example", settings_to_json(fields_of(type), example)},
                     {"has_parameters", static_cast<bool>(type.parameters)},
                     {"label", type.label}});
  }
  return {{"fields", describe(layer_fields())}, {"types", types}};
}

}  // namespace profundo
