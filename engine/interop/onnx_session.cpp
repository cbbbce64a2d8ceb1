#include "interop/onnx_session.hpp"

#include "interop/onnx_classifier.hpp"
#include "model/presets.hpp"

namespace profundo {

std::vector<std::uint8_t> export_session_onnx(ClassifierSession& session) {
  const std::string& dataset = session.dataset_name();
  return export_onnx(session.model(), {session.normalization(), class_names_of(dataset), dataset.substr(0, dataset.rfind("-train"))});
}

std::vector<std::uint8_t> export_session_onnx(TextSession& session) {
  // The kept model (the best one, with text.keep = best), as saving and sampling use it.
  if (const Checkpoint* best = session.best().kept_snapshot()) {
    TextSession kept(*best, "the kept model", "", 1);
    return export_session_onnx(kept);
  }
  TextModelMetadata metadata;
  for (int i = 0; i < session.vocabulary().size(); ++i) metadata.vocabulary.push_back(session.vocabulary().symbol(i));
  return export_text_onnx(session.model(), metadata);
}

std::string dataset_of(const ImportedClassifier& imported) {
  return imported.metadata.dataset.empty() ? "mnist" : imported.metadata.dataset;
}

std::string onnx_dataset(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  return dataset_of(import_onnx(bytes, size, source));
}

std::unique_ptr<ClassifierSession> classifier_session_from_onnx(const std::uint8_t* bytes, std::size_t size,
                                                                const std::string& source,
                                                                std::shared_ptr<const ImageSet> train_set,
                                                                std::shared_ptr<const ImageSet> test_set, int threads,
                                                                DataConfig data) {
  return classifier_session_from_onnx(import_onnx(bytes, size, source), std::move(train_set), std::move(test_set), threads, data);
}

std::unique_ptr<ClassifierSession> classifier_session_from_onnx(const ImportedClassifier& imported,
                                                                std::shared_ptr<const ImageSet> train_set,
                                                                std::shared_ptr<const ImageSet> test_set, int threads,
                                                                DataConfig data) {
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
