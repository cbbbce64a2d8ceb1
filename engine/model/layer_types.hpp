// The layer types, declared once: one row per type with the LayerSpec fields it reads (each a
// settings-registry row: type, range, choices, default, URL key, locale label), the model families
// it may appear in, its factory, its planned parameter count and its forward FLOPs. The model
// builder, the size limits, the FLOP count, the model JSON reader and writer, and describe_layer_types()
// (which the bindings export and the page builds its model editor, URL code and types from) all
// read this table: adding a layer type is one row here (plus the layer itself and its locale strings).
#pragma once

#include "layers/layer.hpp"
#include "model/model_spec.hpp"
#include "settings/settings.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace profundo {

// Where a layer type may appear. A model with a sequence layer is a sequence model ([T,N,F] inputs,
// see model.hpp): only `any` layers may join it; `feedforward` ones belong to image / vector models.
enum class LayerFamily { feedforward, sequence, any };

// What a factory builds from: the whole spec (the init rule looks at the next layer), the layer's
// index and its input shape (per sample).
struct LayerBuild {
  const ModelSpec& spec;
  std::size_t index;
  const Shape& input;
  const LayerSpec& layer() const { return spec.layers[index]; }
  int features() const { return static_cast<int>(element_count(input)); }
};

// A field as a type reads it; `zero_means` says what 0 stands for ("kernel_size" for a pooling
// stride), so the editor can show the meaning instead of 0.
struct LayerFieldUse {
  std::string name;
  std::string zero_means;
};

struct LayerType {
  std::string name;
  LayerFamily family = LayerFamily::feedforward;
  bool image_input = false;  // needs [channels, height, width]
  std::vector<LayerFieldUse> fields;  // in the editor's order
  std::function<void(LayerSpec&)> example;  // what the editor sets on a new layer so that it builds (units = 10)
  std::function<std::unique_ptr<Layer>(const LayerBuild&)> make;
  // Parameters from the description alone (no allocation), in long double so a claimed size cannot
  // overflow; null = none.
  std::function<long double(const LayerSpec&, const Shape& input)> parameters;
  // Forward FLOPs of one sample (multiply-adds count 2); null = none worth counting.
  std::function<double(const LayerSpec&, const Shape& input, const Shape& output)> flops;
  std::string label;  // locale key of the type's description (web/src/i18n)
};

// Every LayerSpec field but `type`, as registry rows (path = the field's name).
const Settings<LayerSpec>& layer_fields();
const std::vector<LayerType>& layer_types();

// The row of `name`; throws std::invalid_argument "unknown layer type 'x' (expected dense, ...)".
const LayerType& layer_type(const std::string& name);
// The rows of layer_fields() that `type` reads, in its order.
Settings<LayerSpec> fields_of(const LayerType& type);

// Throws a SettingError naming `where` + "." + field when a field `layer` reads is out of its range.
void validate_layer(const LayerSpec& layer, const std::string& where);

// {"fields": [rows as describe()], "types": [{name, family, image_input, fields, zero_means, example,
// has_parameters, label}]}
nlohmann::json describe_layer_types();

}  // namespace profundo
