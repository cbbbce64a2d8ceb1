// A classifier session as an ONNX file and back: what the CLI and the page's worker call.
#pragma once

#include "interop/onnx_classifier.hpp"
#include "train/classifier_session.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace profundo {

// The session's model in evaluation mode, with its normalisation and its dataset's class names.
std::vector<std::uint8_t> export_session_onnx(ClassifierSession& session);

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

}  // namespace profundo
