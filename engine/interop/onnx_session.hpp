// A classifier session (or a text run) as an ONNX file and back: what the CLI and the page's worker call.
#pragma once

#include "interop/onnx_classifier.hpp"
#include "text/text_session.hpp"
#include "train/classifier_session.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace profundo {

// The session's model in evaluation mode, with its normalisation and its dataset's class names.
std::vector<std::uint8_t> export_session_onnx(ClassifierSession& session);
// A text run's kept character model (the one saved and sampled) with its vocabulary.
std::vector<std::uint8_t> export_session_onnx(TextSession& session);

// The dataset an imported classifier was trained on: the file's metadata names it (our export
// does), else mnist. onnx_dataset imports the bytes first (errors as import_onnx's), so a file that
// is no image classifier (a character model) is refused before any dataset is loaded for it.
std::string dataset_of(const ImportedClassifier& imported);
std::string onnx_dataset(const std::uint8_t* bytes, std::size_t size, const std::string& source);

// Puts the imported weights, batch-norm statistics and normalisation into a session built from
// imported.spec (with data normalisation imported.metadata.normalization.kind).
void load_imported(ClassifierSession& session, const ImportedClassifier& imported);

// A session on `train_set` / `test_set` whose model, weights, batch-norm statistics and input
// normalisation come from an ONNX image classifier; it trains on with the mlp preset's settings
// (Adam, α = 0.001, batches of 64) and `data`'s split and augmentation (its normalisation is the
// file's). Errors start with `source` (see import_onnx).
std::unique_ptr<ClassifierSession> classifier_session_from_onnx(const std::uint8_t* bytes, std::size_t size,
                                                                const std::string& source,
                                                                std::shared_ptr<const ImageSet> train_set,
                                                                std::shared_ptr<const ImageSet> test_set, int threads,
                                                                DataConfig data = DataConfig());
// The same from a file already imported.
std::unique_ptr<ClassifierSession> classifier_session_from_onnx(const ImportedClassifier& imported,
                                                                std::shared_ptr<const ImageSet> train_set,
                                                                std::shared_ptr<const ImageSet> test_set, int threads,
                                                                DataConfig data = DataConfig());

}  // namespace profundo
