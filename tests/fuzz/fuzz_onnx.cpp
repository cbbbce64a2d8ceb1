// Fuzz target: the ONNX reader (decode_onnx, then import_onnx's mapping to a ModelSpec), building
// the imported model, loading its weights, one forward pass on a tiny batch, and exporting it again.
#include "fuzz_target.hpp"
#include "interop/onnx_classifier.hpp"
#include "model/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace profundo;
  static ThreadPool pool(1);
  fuzz::expect_parsed_or_rejected([&] {
    const ImportedClassifier imported = import_onnx(data, size, "fuzz.onnx");
    Model model(imported.spec);
    load_weights(model, imported);
    // The forward pass only on small inputs: large ones are within the engine's limits, and slow
    // under the sanitizers without exercising the reader any further.
    if (element_count(imported.spec.input) <= 4096) {
      Shape batch = {2};
      batch.insert(batch.end(), imported.spec.input.begin(), imported.spec.input.end());
      Tensor x(batch, 0.5f);
      RunContext context{pool, Mode::eval, nullptr};
      model.forward(x, context);
    }
    export_onnx(model, imported.metadata);
  });
  return 0;
}
