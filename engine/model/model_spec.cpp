#include "model/model_spec.hpp"

#include "core/json_fields.hpp"
#include "model/layer_types.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace profundo {

using nlohmann::json;

using json_fields::read;
using json_fields::reject_unknown_keys;

bool is_recurrent_layer(const std::string& type) { return type == "rnn" || type == "gru" || type == "lstm"; }
bool is_sequence_layer(const std::string& type) {
  for (const auto& row : layer_types())
    if (row.name == type) return row.family == LayerFamily::sequence;
  return false;
}
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
    if (!item.contains("type")) throw std::invalid_argument(where + ".type: missing");
    LayerSpec layer;
    read(item, "type", layer.type, where);
    const LayerType* type = nullptr;
    try {
      type = &layer_type(layer.type);
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(where + ".type: " + error.what());
    }
    // Only the fields the type reads: a conv2d's "units" is a mistake, not something to ignore.
    json fields = item;
    fields.erase("type");
    std::string known;
    for (const auto& use : type->fields) known += (known.empty() ? "" : ", ") + use.name;
    for (const auto& entry : fields.items()) {
      bool read_by_type = false;
      for (const auto& use : type->fields) read_by_type = read_by_type || use.name == entry.key();
      if (!read_by_type)
        throw std::invalid_argument(where + ": unknown field '" + entry.key() + "' for " + layer.type + " (" +
                                    (known.empty() ? layer.type + " reads no fields" : "it reads " + known) + ")");
    }
    spec.layers.push_back(settings_from_json(fields_of(*type), fields, where, layer));
  }
  return spec;
}

ModelSpec model_spec_from_json_text(const std::string& text) {
  json parsed;
  try {
    parsed = json::parse(text);
  } catch (const json::parse_error& error) {
    // nlohmann's what() opens with "[json.exception.parse_error.101] ": an id that means nothing to a student.
    const std::string what = error.what();
    const std::size_t id_end = what.find("] ");
    throw std::invalid_argument("model JSON: not valid JSON (expected a JSON object such as {\"input\": [784], \"layers\": [...]}): " +
                                (id_end == std::string::npos ? what : what.substr(id_end + 2)));
  } catch (const json::exception& error) {  // numbers too large for a double
    throw std::invalid_argument(std::string("model JSON: ") + error.what());
  }
  return model_spec_from_json(parsed);
}

json to_json(const ModelSpec& spec) {
  json layers = json::array();
  for (const auto& layer : spec.layers) {
    json item = {{"type", layer.type}};
    item.update(settings_to_json(fields_of(layer_type(layer.type)), layer));
    layers.push_back(item);
  }
  return {{"input", spec.input}, {"layers", layers}, {"loss", spec.loss}};
}

}  // namespace profundo
