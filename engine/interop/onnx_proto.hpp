// The part of ONNX's onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that
// Profundo writes and reads, as plain structs, with encode_onnx / decode_onnx between them and the
// protobuf wire format. Each field number is written once, in the *_field namespaces below, with the
// onnx.proto name. Fields outside this subset are skipped when reading (as protobuf readers do);
// whether a model uses only what the engine can run is decided by onnx_import.cpp, not here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace profundo::onnx {

namespace model_field {  // message ModelProto
constexpr int ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8,
              metadata_props = 14;
}
namespace opset_field {  // message OperatorSetIdProto
constexpr int domain = 1, version = 2;
}
namespace entry_field {  // message StringStringEntryProto
constexpr int key = 1, value = 2;
}
namespace graph_field {  // message GraphProto
constexpr int node = 1, name = 2, initializer = 5, input = 11, output = 12;
}
namespace node_field {  // message NodeProto
constexpr int input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7;
}
namespace attribute_field {  // message AttributeProto
constexpr int name = 1, f = 2, i = 3, s = 4, t = 5, g = 6, floats = 7, ints = 8, graphs = 11, type = 20;
}
namespace value_info_field {  // message ValueInfoProto
constexpr int name = 1, type = 2;
}
namespace type_field {  // message TypeProto (tensor_type) and TypeProto.Tensor
constexpr int tensor_type = 1;
constexpr int elem_type = 1, shape = 2;
}
namespace shape_field {  // message TensorShapeProto and TensorShapeProto.Dimension
constexpr int dim = 1;
constexpr int dim_value = 1, dim_param = 2;
}
namespace tensor_field {  // message TensorProto
constexpr int dims = 1, data_type = 2, float_data = 4, int64_data = 7, name = 8, raw_data = 9, external_data = 13,
              data_location = 14;
}

// enum AttributeProto.AttributeType
enum class AttributeType : int { undefined = 0, float_value = 1, int_value = 2, string_value = 3, tensor = 4,
                                 graph = 5, floats = 6, ints = 7, strings = 8 };
// enum TensorProto.DataType (the two the engine uses)
constexpr int data_type_float = 1;
constexpr int data_type_int64 = 7;

// Tensor values: float tensors fill `floats`, int64 tensors `ints`; other types keep dims and type only.
struct Tensor {
  std::string name;
  std::vector<std::int64_t> dims;
  int data_type = 0;
  std::vector<float> floats;
  std::vector<std::int64_t> ints;
};

struct Attribute {
  std::string name;
  AttributeType type = AttributeType::undefined;
  float f = 0.0f;
  std::int64_t i = 0;
  std::string s;
  std::vector<float> floats;
  std::vector<std::int64_t> ints;
  std::vector<Tensor> tensor;  // the TENSOR value (0 or 1)
};

struct Node {
  std::string name, op_type, domain;
  std::vector<std::string> inputs, outputs;
  std::vector<Attribute> attributes;
};

// A dimension is a number or a symbol (dim_param, e.g. "N" for the batch) or unknown.
struct Dimension {
  std::int64_t value = -1;  // -1: not a number
  std::string param;
};

struct ValueInfo {
  std::string name;
  int elem_type = 0;
  bool has_shape = false;
  std::vector<Dimension> dims;
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<Tensor> initializers;
  std::vector<ValueInfo> inputs, outputs;
};

struct Model {
  std::int64_t ir_version = 0;
  std::string producer_name, producer_version;
  std::vector<std::pair<std::string, std::int64_t>> opsets;  // (domain, version); "" is ai.onnx
  Graph graph;
  std::vector<std::pair<std::string, std::string>> metadata;
};

// Reading limits: beyond them a file is refused before anything is allocated for it.
constexpr std::size_t max_file_bytes = std::size_t{512} << 20;  // 50 M float parameters fit in 200 MB
constexpr std::size_t max_nodes = 4096;
constexpr std::size_t max_graph_values = 8192;  // inputs, outputs, initializers each
constexpr std::size_t max_node_values = 16;     // inputs, outputs of one node
constexpr std::size_t max_attributes = 64;      // of one node
constexpr std::size_t max_metadata = 256;
constexpr std::size_t max_rank = 8;

std::vector<std::uint8_t> encode_onnx(const Model& model);
// Throws std::invalid_argument starting with `source` and naming the message and field that are
// truncated, malformed, too large (every tensor against the engine's parameter limit) or of the
// wrong type. Tensors stored outside the file (external data) are refused.
Model decode_onnx(const std::uint8_t* bytes, std::size_t size, const std::string& source);

// The attribute called `name`, or nullptr.
const Attribute* find_attribute(const Node& node, const std::string& name);
// Element count of `dims`, after checking each is in [0, INT_MAX] and the product is at most
// max_model_parameters; `where` names the tensor in errors.
std::size_t checked_element_count(const std::vector<std::int64_t>& dims, const std::string& where);

}  // namespace profundo::onnx
