#include "interop/onnx_proto.hpp"

#include "interop/protobuf_wire.hpp"
#include "model/model_limits.hpp"

#include <climits>
#include <cstring>
#include <stdexcept>

namespace profundo::onnx {

using protobuf::ProtoField;
using protobuf::ProtoReader;
using protobuf::ProtoWriter;

// ---- writing ----

namespace {

ProtoWriter encode_tensor(const Tensor& tensor) {
  ProtoWriter out;
  for (std::int64_t d : tensor.dims) out.int64_field(tensor_field::dims, d);
  out.int64_field(tensor_field::data_type, tensor.data_type);
  out.string_field(tensor_field::name, tensor.name);
  // raw_data: little-endian values, as every reader expects (the engine runs on little-endian hosts).
  if (tensor.data_type == data_type_float)
    out.bytes_field(tensor_field::raw_data, reinterpret_cast<const std::uint8_t*>(tensor.floats.data()),
                    tensor.floats.size() * sizeof(float));
  else
    out.bytes_field(tensor_field::raw_data, reinterpret_cast<const std::uint8_t*>(tensor.ints.data()),
                    tensor.ints.size() * sizeof(std::int64_t));
  return out;
}

ProtoWriter encode_attribute(const Attribute& attribute) {
  ProtoWriter out;
  out.string_field(attribute_field::name, attribute.name);
  out.int64_field(attribute_field::type, static_cast<int>(attribute.type));
  switch (attribute.type) {
    case AttributeType::float_value: out.float_field(attribute_field::f, attribute.f); break;
    case AttributeType::int_value: out.int64_field(attribute_field::i, attribute.i); break;
    case AttributeType::string_value: out.string_field(attribute_field::s, attribute.s); break;
    case AttributeType::ints:
      for (std::int64_t v : attribute.ints) out.int64_field(attribute_field::ints, v);
      break;
    case AttributeType::floats:
      for (float v : attribute.floats) out.float_field(attribute_field::floats, v);
      break;
    case AttributeType::tensor:
      for (const Tensor& t : attribute.tensor) out.message_field(attribute_field::t, encode_tensor(t));
      break;
    default: throw std::invalid_argument("ONNX attribute " + attribute.name + ": this writer has no encoding for its type");
  }
  return out;
}

ProtoWriter encode_value_info(const ValueInfo& info) {
  ProtoWriter shape;
  for (const Dimension& d : info.dims) {
    ProtoWriter dim;
    if (d.value >= 0) dim.int64_field(shape_field::dim_value, d.value);
    else dim.string_field(shape_field::dim_param, d.param);
    shape.message_field(shape_field::dim, dim);
  }
  ProtoWriter tensor_type;
  tensor_type.int64_field(type_field::elem_type, info.elem_type);
  tensor_type.message_field(type_field::shape, shape);
  ProtoWriter type;
  type.message_field(type_field::tensor_type, tensor_type);
  ProtoWriter out;
  out.string_field(value_info_field::name, info.name);
  out.message_field(value_info_field::type, type);
  return out;
}

}  // namespace

std::vector<std::uint8_t> encode_onnx(const Model& model) {
  ProtoWriter graph;
  for (const Node& node : model.graph.nodes) {
    ProtoWriter out;
    for (const auto& name : node.inputs) out.string_field(node_field::input, name);
    for (const auto& name : node.outputs) out.string_field(node_field::output, name);
    out.string_field(node_field::name, node.name);
    out.string_field(node_field::op_type, node.op_type);
    for (const Attribute& attribute : node.attributes) out.message_field(node_field::attribute, encode_attribute(attribute));
    if (!node.domain.empty()) out.string_field(node_field::domain, node.domain);
    graph.message_field(graph_field::node, out);
  }
  graph.string_field(graph_field::name, model.graph.name);
  for (const Tensor& tensor : model.graph.initializers) graph.message_field(graph_field::initializer, encode_tensor(tensor));
  for (const ValueInfo& info : model.graph.inputs) graph.message_field(graph_field::input, encode_value_info(info));
  for (const ValueInfo& info : model.graph.outputs) graph.message_field(graph_field::output, encode_value_info(info));

  ProtoWriter out;
  out.int64_field(model_field::ir_version, model.ir_version);
  out.string_field(model_field::producer_name, model.producer_name);
  out.string_field(model_field::producer_version, model.producer_version);
  out.message_field(model_field::graph, graph);
  for (const auto& [domain, version] : model.opsets) {
    ProtoWriter opset;
    opset.string_field(opset_field::domain, domain);
    opset.int64_field(opset_field::version, version);
    out.message_field(model_field::opset_import, opset);
  }
  for (const auto& [key, value] : model.metadata) {
    ProtoWriter entry;
    entry.string_field(entry_field::key, key);
    entry.string_field(entry_field::value, value);
    out.message_field(model_field::metadata_props, entry);
  }
  return out.bytes();
}

// ---- reading ----

std::size_t checked_element_count(const std::vector<std::int64_t>& dims, const std::string& where) {
  long double count = 1;
  for (std::int64_t d : dims) {
    if (d < 0 || d > INT_MAX) throw std::invalid_argument(where + ": dimension " + std::to_string(d) + " out of range");
    count *= static_cast<long double>(d);
  }
  if (count > static_cast<long double>(max_model_parameters))
    throw std::invalid_argument(where + ": " + std::to_string(static_cast<long long>(count > 1e18L ? 1e18L : count)) +
                                " values, more than the engine's limit of " + std::to_string(max_model_parameters));
  return static_cast<std::size_t>(count);
}

namespace {

template <typename T>
void push_limited(std::vector<T>& list, T&& value, std::size_t limit, const std::string& where) {
  if (list.size() >= limit) throw std::invalid_argument(where + ": more than " + std::to_string(limit) + " entries");
  list.push_back(std::move(value));
}

// A tensor's values from raw_data (little-endian, as written) when it has one, else the typed
// field already read into `values`; either way exactly `count` of them.
template <typename T>
void take_values(const ProtoField* raw, std::vector<T>& values, std::size_t count, const std::string& named) {
  if (raw) {
    if (raw->size != count * sizeof(T))
      throw std::invalid_argument(named + ": raw_data has " + std::to_string(raw->size) + " bytes, expected " +
                                  std::to_string(count * sizeof(T)));
    values.resize(count);
    if (count > 0) std::memcpy(values.data(), raw->data, count * sizeof(T));
  } else if (values.size() != count) {
    throw std::invalid_argument(named + ": holds " + std::to_string(values.size()) + " values, its dims say " +
                                std::to_string(count));
  }
}

Tensor decode_tensor(ProtoReader reader) {
  const std::string where = reader.where();
  Tensor tensor;
  const ProtoField* raw = nullptr;
  ProtoField raw_field;
  while (!reader.done()) {
    const ProtoField field = reader.next();
    switch (field.number) {
      case tensor_field::dims: protobuf::append_int64s(field, tensor.dims, max_rank, where + ".dims"); break;
      case tensor_field::data_type: tensor.data_type = static_cast<int>(protobuf::as_int64(field, where + ".data_type")); break;
      case tensor_field::name: tensor.name = protobuf::as_string(field, where + ".name"); break;
      case tensor_field::raw_data:
        raw_field = field;
        raw = &raw_field;
        break;
      case tensor_field::float_data:
        protobuf::append_floats(field, tensor.floats, max_model_parameters, where + ".float_data");
        break;
      case tensor_field::int64_data:
        protobuf::append_int64s(field, tensor.ints, max_model_parameters, where + ".int64_data");
        break;
      case tensor_field::external_data:
        throw std::invalid_argument(where + ": tensor '" + tensor.name + "' keeps its data in another file (external data), which is not supported");
      case tensor_field::data_location:
        if (protobuf::as_int64(field, where + ".data_location") != 0)
          throw std::invalid_argument(where + ": tensor data stored outside the file (data_location EXTERNAL) is not supported");
        break;
      default: break;
    }
  }
  const std::string named = where + " '" + tensor.name + "'";
  const std::size_t count = checked_element_count(tensor.dims, named);
  if (tensor.data_type != data_type_float) tensor.floats.clear();
  if (tensor.data_type != data_type_int64) tensor.ints.clear();
  if (tensor.data_type == data_type_float) take_values(raw, tensor.floats, count, named);
  if (tensor.data_type == data_type_int64) take_values(raw, tensor.ints, count, named);
  return tensor;
}

Attribute decode_attribute(ProtoReader reader) {
  const std::string where = reader.where();
  Attribute attribute;
  while (!reader.done()) {
    const ProtoField field = reader.next();
    switch (field.number) {
      case attribute_field::name: attribute.name = protobuf::as_string(field, where + ".name"); break;
      case attribute_field::type: {
        const std::int64_t type = protobuf::as_int64(field, where + ".type");
        attribute.type = type >= 0 && type <= 8 ? static_cast<AttributeType>(type) : AttributeType::undefined;
        break;
      }
      case attribute_field::f: attribute.f = protobuf::as_float(field, where + ".f"); break;
      case attribute_field::i: attribute.i = protobuf::as_int64(field, where + ".i"); break;
      case attribute_field::s: attribute.s = protobuf::as_string(field, where + ".s"); break;
      case attribute_field::floats: protobuf::append_floats(field, attribute.floats, 64, where + ".floats"); break;
      case attribute_field::ints: protobuf::append_int64s(field, attribute.ints, 64, where + ".ints"); break;
      case attribute_field::t:
        if (!attribute.tensor.empty()) throw std::invalid_argument(where + ": two tensor values");
        attribute.tensor.push_back(decode_tensor(protobuf::as_message(field, where + ".t")));
        break;
      default: break;  // subgraphs (g, graphs) and the rest are not read: no op of the subset takes them
    }
  }
  return attribute;
}

Node decode_node(ProtoReader reader) {
  const std::string where = reader.where();
  Node node;
  while (!reader.done()) {
    const ProtoField field = reader.next();
    switch (field.number) {
      case node_field::input: push_limited(node.inputs, protobuf::as_string(field, where + ".input"), max_node_values, where + ".input"); break;
      case node_field::output: push_limited(node.outputs, protobuf::as_string(field, where + ".output"), max_node_values, where + ".output"); break;
      case node_field::name: node.name = protobuf::as_string(field, where + ".name"); break;
      case node_field::op_type: node.op_type = protobuf::as_string(field, where + ".op_type"); break;
      case node_field::domain: node.domain = protobuf::as_string(field, where + ".domain"); break;
      case node_field::attribute:
        push_limited(node.attributes, decode_attribute(protobuf::as_message(field, where + ".attribute")), max_attributes,
                     where + ".attribute");
        break;
      default: break;
    }
  }
  return node;
}

ValueInfo decode_value_info(ProtoReader reader) {
  const std::string where = reader.where();
  ValueInfo info;
  while (!reader.done()) {
    const ProtoField field = reader.next();
    if (field.number == value_info_field::name) {
      info.name = protobuf::as_string(field, where + ".name");
    } else if (field.number == value_info_field::type) {
      ProtoReader type = protobuf::as_message(field, where + ".type");
      while (!type.done()) {
        const ProtoField t = type.next();
        if (t.number != type_field::tensor_type) continue;
        ProtoReader tensor_type = protobuf::as_message(t, where + ".type.tensor_type");
        while (!tensor_type.done()) {
          const ProtoField f = tensor_type.next();
          if (f.number == type_field::elem_type) {
            info.elem_type = static_cast<int>(protobuf::as_int64(f, where + ".elem_type"));
          } else if (f.number == type_field::shape) {
            info.has_shape = true;
            info.dims.clear();
            ProtoReader shape = protobuf::as_message(f, where + ".shape");
            while (!shape.done()) {
              const ProtoField d = shape.next();
              if (d.number != shape_field::dim) continue;
              Dimension dim;
              ProtoReader dim_reader = protobuf::as_message(d, where + ".shape.dim");
              while (!dim_reader.done()) {
                const ProtoField v = dim_reader.next();
                if (v.number == shape_field::dim_value) dim.value = protobuf::as_int64(v, where + ".dim_value");
                if (v.number == shape_field::dim_param) dim.param = protobuf::as_string(v, where + ".dim_param");
              }
              if (dim.value < -1) dim.value = -1;
              push_limited(info.dims, std::move(dim), max_rank, where + ".shape");
            }
          }
        }
      }
    }
  }
  return info;
}

Graph decode_graph(ProtoReader reader) {
  Graph graph;
  while (!reader.done()) {
    const ProtoField field = reader.next();
    const auto item = [&](const char* what, std::size_t count) {
      return "graph." + std::string(what) + "[" + std::to_string(count) + "]";
    };
    switch (field.number) {
      case graph_field::node: {
        const std::string where = item("node", graph.nodes.size());
        push_limited(graph.nodes, decode_node(protobuf::as_message(field, where)), max_nodes, "graph.node");
        break;
      }
      case graph_field::name: graph.name = protobuf::as_string(field, "graph.name"); break;
      case graph_field::initializer: {
        const std::string where = item("initializer", graph.initializers.size());
        push_limited(graph.initializers, decode_tensor(protobuf::as_message(field, where)), max_graph_values,
                     "graph.initializer");
        break;
      }
      case graph_field::input: {
        const std::string where = item("input", graph.inputs.size());
        push_limited(graph.inputs, decode_value_info(protobuf::as_message(field, where)), max_graph_values, "graph.input");
        break;
      }
      case graph_field::output: {
        const std::string where = item("output", graph.outputs.size());
        push_limited(graph.outputs, decode_value_info(protobuf::as_message(field, where)), max_graph_values, "graph.output");
        break;
      }
      default: break;
    }
  }
  return graph;
}

}  // namespace

Model decode_onnx(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  try {
    if (size == 0) throw std::invalid_argument("empty file");
    if (size > max_file_bytes)
      throw std::invalid_argument(std::to_string(size) + " bytes, more than the " + std::to_string(max_file_bytes >> 20) +
                                  " MB a model may have");
    ProtoReader reader(bytes, size, "model");
    Model model;
    bool has_graph = false;
    while (!reader.done()) {
      const ProtoField field = reader.next();
      switch (field.number) {
        case model_field::ir_version: model.ir_version = protobuf::as_int64(field, "model.ir_version"); break;
        case model_field::producer_name: model.producer_name = protobuf::as_string(field, "model.producer_name"); break;
        case model_field::producer_version: model.producer_version = protobuf::as_string(field, "model.producer_version"); break;
        case model_field::graph:
          if (has_graph) throw std::invalid_argument("model: two graphs");
          model.graph = decode_graph(protobuf::as_message(field, "graph"));
          has_graph = true;
          break;
        case model_field::opset_import: {
          ProtoReader opset = protobuf::as_message(field, "model.opset_import");
          std::pair<std::string, std::int64_t> entry{"", 0};
          while (!opset.done()) {
            const ProtoField f = opset.next();
            if (f.number == opset_field::domain) entry.first = protobuf::as_string(f, "model.opset_import.domain");
            if (f.number == opset_field::version) entry.second = protobuf::as_int64(f, "model.opset_import.version");
          }
          push_limited(model.opsets, std::move(entry), max_metadata, "model.opset_import");
          break;
        }
        case model_field::metadata_props: {
          ProtoReader entry_reader = protobuf::as_message(field, "model.metadata_props");
          std::pair<std::string, std::string> entry;
          while (!entry_reader.done()) {
            const ProtoField f = entry_reader.next();
            if (f.number == entry_field::key) entry.first = protobuf::as_string(f, "model.metadata_props.key");
            if (f.number == entry_field::value) entry.second = protobuf::as_string(f, "model.metadata_props.value");
          }
          push_limited(model.metadata, std::move(entry), max_metadata, "model.metadata_props");
          break;
        }
        default: break;
      }
    }
    if (!has_graph) throw std::invalid_argument("no graph (not an ONNX model?)");
    return model;
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(source + ": " + error.what());
  }
}

const Attribute* find_attribute(const Node& node, const std::string& name) {
  for (const Attribute& attribute : node.attributes)
    if (attribute.name == name) return &attribute;
  return nullptr;
}

}  // namespace profundo::onnx
