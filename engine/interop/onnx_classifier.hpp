// An image classifier as an ONNX model (opset 13), both ways; a character model, exported only.
//
// Export maps each layer of a Model to standard ops — conv2d: Conv (OIHW weights, explicit pads as
// padding.hpp computes them); dense: Gemm with transB = 1 (W [out, in]), after a Flatten when its
// input is an image; maxpool2d / avgpool2d: MaxPool / AveragePool; global_avg_pool2d:
// GlobalAveragePool then Flatten (read back as one layer); batchnorm: BatchNormalization
// with the running statistics (inference); relu, leaky_relu, sigmoid, tanh, linear, softmax, flatten:
// Relu, LeakyRelu, Sigmoid, Tanh, Identity, Softmax, Flatten; dropout: nothing (it is the identity at
// inference). The graph reads `input` [N, C, H, W] (N dynamic) and returns `logits` (the model's
// output) and, for the softmax / sigmoid cross-entropy losses, `probabilities`. The metadata says so
// and carries the pixel normalisation (folded out: inputs are normalised pixels), the class names,
// the dataset and where the dropout layers were (position and p, so an import restores them).
//
// A character model (text_model.hpp) exports as: `tokens` int64 [T, N] (T and N dynamic) -> Gather
// of the embedding [V, E] -> per recurrent layer ONNX's LSTM (gates i, o, f, c), GRU (z, r, h with
// linear_before_reset = 1, our formula) or RNN (tanh), forward, starting from the inputs
// initial_h_L / initial_c_L [1, N, H] (zeros to start) and returning final_h_L / final_c_L, then a
// Squeeze of the direction axis -> MatMul + Add per step -> `logits` [T, N, V] and `probabilities`
// (Softmax over the last axis). The metadata holds the vocabulary (the characters, in index order).
//
// Import (image classifiers only) reads a chain of those ops (also MatMul + Add for a dense layer, Reshape to [N, -1] for a
// flatten, Dropout, Constant, a Pad of zeros, and a leading Transpose from NHWC) into a ModelSpec and
// its parameters.
// Anything else is refused with the op's name and the node's name. Both directions go through one
// table of op mappings in onnx_import.cpp and one switch over layer kinds in onnx_export.cpp.
#pragma once

#include "core/tensor.hpp"
#include "data/image_set.hpp"
#include "model/model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace profundo {

constexpr int onnx_opset = 13;
// The metadata's profundo.kind: which lab a file belongs to.
constexpr const char* onnx_kind_image = "image_classifier";
constexpr const char* onnx_kind_text = "character_model";

// What travels in the model's metadata besides the graph.
struct ClassifierMetadata {
  Normalization normalization;
  std::vector<std::string> class_names;
  std::string dataset;  // "mnist" or "fashion-mnist" (no "-train" suffix); empty when unknown (a foreign file)
};

struct TextModelMetadata {
  std::vector<std::string> vocabulary;  // each character as UTF-8, in index order
};

// "0".."9" for mnist, the ten garment names for fashion-mnist; the dataset may carry a "-train" suffix.
std::vector<std::string> class_names_of(const std::string& dataset);

// The ONNX file of `model` in evaluation mode (batch-norm running statistics, no dropout).
std::vector<std::uint8_t> export_onnx(Model& model, const ClassifierMetadata& metadata);
// The ONNX file of a character model (a sequence model: embedding, recurrent layers, dense head).
std::vector<std::uint8_t> export_text_onnx(Model& model, const TextModelMetadata& metadata);

struct ImportedClassifier {
  ModelSpec spec;
  std::vector<Tensor> parameters;  // in Model::parameters() order
  std::vector<Tensor> buffers;     // every layer's buffers(), in layer order
  ClassifierMetadata metadata;     // from the file's metadata; normalisation "scale" and classes 0..9 otherwise
};
// An import of our own file restores its dropout layers from the metadata (profundo.dropout) and
// refuses a character model (profundo.kind) by name.

// Throws std::invalid_argument starting with `source`: for bytes that are not a readable ONNX file,
// sizes beyond the engine's model limits, and ops or attributes outside the subset (naming the op
// and the node).
ImportedClassifier import_onnx(const std::uint8_t* bytes, std::size_t size, const std::string& source);

// Copies the imported parameters and batch-norm statistics into `model` (built from imported.spec).
void load_weights(Model& model, const ImportedClassifier& imported);

}  // namespace profundo
