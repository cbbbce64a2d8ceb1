#include "interop/onnx_session.hpp"

#include "interop/onnx_classifier.hpp"
#include "model/presets.hpp"

namespace profundo {

std::vector<std::uint8_t> export_session_onnx(ClassifierSession& session) {
  return export_onnx(session.model(), {session.normalization(), class_names_of(session.dataset_name())});
}

std::unique_ptr<ClassifierSession> classifier_session_from_onnx(const std::uint8_t* bytes, std::size_t size,
                                                                const std::string& source,
                                                                std::shared_ptr<const ImageSet> train_set,
                                                                std::shared_ptr<const ImageSet> test_set, int threads,
                                                                DataConfig data) {
  const ImportedClassifier imported = import_onnx(bytes, size, source);
  data.normalization = imported.metadata.normalization.kind;
  auto session = std::make_unique<ClassifierSession>(imported.spec, find_preset("mlp").training, data,
                                                     std::move(train_set), std::move(test_set), threads);
  load_imported(*session, imported);
  return session;
}

void load_imported(ClassifierSession& session, const ImportedClassifier& imported) {
  load_weights(session.model(), imported);
  session.set_normalization(imported.metadata.normalization);
}

}  // namespace profundo
