// profundo-cli export / evaluate: a trained classifier as an ONNX file, and an ONNX (or saved)
// classifier evaluated on the test split of MNIST or Fashion-MNIST; a text run's ONNX file and the
// per-character outputs it must reproduce.
#pragma once

#include "interop/onnx_classifier.hpp"
#include "train/classifier_session.hpp"

#include <string>
#include <vector>

namespace profundo::cli {

extern const char* kOnnxUsage;

int run_export_command(const std::vector<std::string>& args);
int run_evaluate_command(const std::vector<std::string>& args);
// A text run's per-character logits and probabilities for a prefix, as JSON (to check its ONNX file).
int run_text_logits_command(const std::vector<std::string>& args);

// Reads and imports an ONNX image classifier (errors name the file).
ImportedClassifier read_onnx_file(const std::string& path);

}  // namespace profundo::cli
