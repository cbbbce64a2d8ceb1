// Fuzz target: a model description in JSON (the CLI's --model file, the page's model editor), then
// building the model from it — which must refuse sizes it cannot hold instead of allocating them.
#include "fuzz_target.hpp"
#include "model/model.hpp"
#include "model/model_spec.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace profundo;
  const std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_parsed_or_rejected([&] {
    const ModelSpec spec = model_spec_from_json_text(text);
    Model model(spec);
    model.summary();
  });
  return 0;
}
