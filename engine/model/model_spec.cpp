#include "model/model_spec.hpp"

#include "core/json_fields.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace profundo {

using nlohmann::json;

using json_fields::read;
using json_fields::reject_unknown_keys;

bool is_recurrent_layer(const std::string& type) { return type == "rnn" || type == "gru" || type == "lstm"; }
bool is_sequence_layer(const std::string& type) { return type == "embedding" || is_recurrent_layer(type); }
int recurrent_gate_count(const std::string& type) { return type == "lstm" ? 4 : type == "gru" ? 3 : type == "rnn" ? 1 : 0; }

ModelSpec model_spec_from_json(const json& object) {
  if (!object.is_object()) throw std::invalid_argument("model: expected a JSON object");
  reject_unknown_keys(object, {"input", "layers", "loss"}, "model");
  ModelSpec spec;
  if (!object.contains("input")) throw std::invalid_argument("model.input: missing (e.g. [1, 28, 28])");
  read(object, "input", spec.input, "model");
  read(object, "loss", spec.loss, "model");
  if (!object.contains("layers") || !object.at("layers").is_array())
    throw std::invalid_argument("model.layers: missing or not a list");
  const auto& layers = object.at("layers");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string where = "model.layers[" + std::to_string(i) + "]";
    const auto& item = layers[i];
    if (!item.is_object()) throw std::invalid_argument(where + ": expected an object");
    reject_unknown_keys(item,
                        {"type", "units", "vocabulary_size", "filters", "kernel_size", "stride", "padding", "init", "bias", "slope", "p",
                         "momentum", "epsilon"},
                        where);
    LayerSpec layer;
    if (!item.contains("type")) throw std::invalid_argument(where + ".type: missing");
    read(item, "type", layer.type, where);
    read(item, "units", layer.units, where);
    read(item, "vocabulary_size", layer.vocabulary_size, where);
    read(item, "filters", layer.filters, where);
    read(item, "kernel_size", layer.kernel_size, where);
    read(item, "stride", layer.stride, where);
    read(item, "padding", layer.padding, where);
    read(item, "p", layer.p, where);
    read(item, "momentum", layer.momentum, where);
    read(item, "epsilon", layer.epsilon, where);
    read(item, "init", layer.init, where);
    read(item, "bias", layer.bias, where);
    read(item, "slope", layer.slope, where);
    spec.layers.push_back(layer);
  }
  return spec;
}

ModelSpec model_spec_from_json_text(const std::string& text) {
  json parsed;
  try {
    parsed = json::parse(text);
  } catch (const json::exception& error) {  // syntax errors, and numbers too large for a double
    throw std::invalid_argument(std::string("model JSON: ") + error.what());
  }
  return model_spec_from_json(parsed);
}

json to_json(const ModelSpec& spec) {
  json layers = json::array();
  for (const auto& layer : spec.layers) {
    json item = {{"type", layer.type}};
    if (layer.type == "dense" || is_sequence_layer(layer.type)) item["units"] = layer.units;
    if (layer.type == "embedding") item["vocabulary_size"] = layer.vocabulary_size;
    if (layer.type == "conv2d") {
      item["filters"] = layer.filters;
      item["padding"] = layer.padding;
    }
    if (layer.type == "conv2d" || layer.type == "maxpool2d" || layer.type == "avgpool2d") {
      item["kernel_size"] = layer.kernel_size;
      item["stride"] = layer.stride;
    }
    if (layer.type == "dense" || layer.type == "conv2d") {
      item["init"] = layer.init;
      item["bias"] = layer.bias;
    }
    if (layer.type == "leaky_relu") item["slope"] = layer.slope;
    if (layer.type == "dropout") item["p"] = layer.p;
    if (layer.type == "batchnorm") {
      item["momentum"] = layer.momentum;
      item["epsilon"] = layer.epsilon;
    }
    layers.push_back(item);
  }
  return {{"input", spec.input}, {"layers", layers}, {"loss", spec.loss}};
}

}  // namespace profundo
