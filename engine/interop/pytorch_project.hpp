// A saved classifier run as a small PyTorch project (issue #15, part 3), the same files for the CLI
// (`export --format pytorch --out DIR`) and the page (a zip):
//   model.py    the model as a torch.nn.Module, one line per Profundo layer (generated here)
//   data.py     IDX reading, Profundo's normalisation and augmentation       (interop/pytorch/)
//   optim.py    Profundo's optimisers, schedules, L2 and clipping as torch code (interop/pytorch/)
//   train.py    continues the run with DistributedDataParallel (torchrun, SLURM or one process)
//   run.json    the settings: model, training, data, normalisation, progress, class names
//   state.json  index of state.bin: each tensor's name (torch's state_dict names), dtype, shape, offset
//   state.bin   little-endian float32 weights, batch-norm statistics and optimiser moments
//               ("optimizer.v.NAME", "optimizer.s.NAME", "optimizer.s_max.NAME"), and int32 indices
//               of the train and dev splits ("split.train", "split.dev")
//   README.md   how to run it and how the result comes back to Profundo (model.onnx)
// The Python files are kept as Python in interop/pytorch/ and embedded at build time.
#pragma once

#include "model/model_spec.hpp"
#include "train/classifier_session.hpp"

#include <string>
#include <vector>

namespace profundo {

struct ProjectFile {
  std::string path;     // relative, '/'-separated
  std::string content;  // text (UTF-8) unless binary
  bool binary = false;
};

// model.py for `model` (built from its spec); throws std::invalid_argument naming the layer for a
// layer or loss with no PyTorch mapping here (image classifiers trained with softmax cross-entropy).
std::string pytorch_model_source(Model& model);

// Every file of the project, in a fixed order.
std::vector<ProjectFile> pytorch_project(ClassifierSession& session);

// The embedded Python files of interop/pytorch/, by file name ("data.py", "optim.py", "train.py").
const std::string& pytorch_template(const std::string& name);

}  // namespace profundo
