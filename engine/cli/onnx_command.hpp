// profundo-cli export / evaluate: a trained classifier as an ONNX file, and an ONNX (or saved)
// classifier evaluated on the test split of MNIST or Fashion-MNIST; a text run's ONNX file and the
// per-character outputs it must reproduce.
#pragma once

#include "cli/arguments.hpp"
#include "interop/onnx_classifier.hpp"
#include "train/classifier_session.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace profundo::cli {

struct LoadedSession {
  std::unique_ptr<ClassifierSession> session;
  std::shared_ptr<const ImageSet> train_set, test_set;
  std::string dataset;
};

// A session for a saved run (--resume, its header first passed to `adjust` when given) or an
// imported ONNX classifier (--onnx), on the dataset of --data / --dataset.
LoadedSession open_session(const Arguments& args, const std::function<void(Checkpoint&)>& adjust = nullptr);

// export --format pytorch: the run as a PyTorch project in `out` (pytorch_command.cpp).
int write_pytorch_project(ClassifierSession& session, const std::string& out);
// export --format ipynb: the hand-in notebook of the run (pytorch_command.cpp).
int write_notebook(ClassifierSession& session, const Arguments& args, const std::string& out);
// step-loss: Profundo's training losses for given batches of a saved run (pytorch_command.cpp).
int run_step_loss_command(const std::vector<std::string>& args);

extern const char* kOnnxUsage;

int run_export_command(const std::vector<std::string>& args);
int run_evaluate_command(const std::vector<std::string>& args);
// A text run's per-character logits and probabilities for a prefix, as JSON (to check its ONNX file).
int run_text_logits_command(const std::vector<std::string>& args);

// Reads and imports an ONNX image classifier (errors name the file).
ImportedClassifier read_onnx_file(const std::string& path);

}  // namespace profundo::cli
