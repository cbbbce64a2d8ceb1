// A finished run as a Jupyter notebook (nbformat 4.5), the course's hand-in ("el notebook
// ejecutado"), in the page's language: the settings and the model as tables; the curves, the final
// metrics, the confusion matrix and the most confident test mistakes as saved outputs (SVG, the
// digits as embedded PNG); then the PyTorch project's code (pytorch_project.hpp) as code cells that
// re-run the experiment in Colab or Jupyter. The same function serves the CLI and the page.
#pragma once

#include "train/classifier_session.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace profundo {

struct NotebookRun {
  std::string language = "es";                    // "es" or "en": the prose, table headings and chart labels
  std::string title;                              // e.g. the preset's name; empty: "model"
  nlohmann::json history = nlohmann::json::array();  // per epoch: {"epoch", "train": {loss, accuracy}, "dev": {...}}
};

// {"language": "es", "title": "...", "history": [...]} (what the page sends) as a NotebookRun;
// throws std::invalid_argument naming the field for anything else.
NotebookRun notebook_run_from_json(const std::string& text);

// The notebook as JSON text. Evaluates the session on its test split (confusion matrix, mistakes).
// Throws std::invalid_argument for an unknown language or a model with no PyTorch mapping.
std::string run_notebook(ClassifierSession& session, const NotebookRun& run);

// An 8-bit greyscale PNG (stored, uncompressed deflate: no zlib needed, also in WebAssembly).
std::string greyscale_png(const std::uint8_t* pixels, int width, int height);

}  // namespace profundo
