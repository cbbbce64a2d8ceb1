// Embind registrations for "inside the network" (layer outputs, parameter and gradient histograms,
// convolution filters) and the data panel (the student's own IDX files, the augmentation preview).
// Translation only: bulk numbers come back as typed arrays copied out of engine memory at once.
#include "guard.hpp"
#include "settings_values.hpp"
#include "vector_binding.hpp"

#include "data/labelled_idx_files.hpp"
#include "inspect/augment_preview.hpp"
#include "inspect/layer_outputs.hpp"
#include "inspect/parameter_histograms.hpp"
#include "train/classifier_session.hpp"

#include <emscripten/bind.h>

using namespace emscripten;
using namespace profundo;
using profundo::bindings::config_from_js;
using profundo::bindings::Guard;

namespace {

val float32_array(const std::vector<float>& values) {
  return val::global("Float32Array").new_(typed_memory_view(values.size(), values.data()));
}

// [{layer, kind, shape, values: Float32Array}, …]
val session_layer_outputs(ClassifierSession& session, const val& pixels) {
  val result = val::array();
  for (const LayerOutput& output : layer_outputs(session, convertJSArrayToNumberVector<std::uint8_t>(pixels))) {
    val item = val::object();
    item.set("layer", output.layer);
    item.set("kind", output.kind);
    item.set("shape", output.shape);
    item.set("values", float32_array(output.values));
    result.call<void>("push", item);
  }
  return result;
}

std::vector<ParameterHistograms> session_parameter_histograms(ClassifierSession& session, int bins) {
  return parameter_histograms(session.model(), bins);
}

// [{layer, shape, weights: Float32Array}, …]
val session_conv_filters(ClassifierSession& session) {
  val result = val::array();
  for (const ConvFilters& filters : conv_filters(session.model())) {
    val item = val::object();
    item.set("layer", filters.layer);
    item.set("shape", filters.shape);
    item.set("weights", float32_array(filters.weights));
    result.call<void>("push", item);
  }
  return result;
}

val augment_preview_pixels(const val& images, int count, int channels, int height, int width, const val& config,
                           std::uint32_t seed) {
  const std::vector<std::uint8_t> out =
      augment_preview(convertJSArrayToNumberVector<std::uint8_t>(images), count, channels, height, width,
                      config_from_js(augment_settings(), config, "data.augment"), seed);
  return val::global("Uint8Array").new_(typed_memory_view(out.size(), out.data()));
}

std::shared_ptr<ImageSet> load_idx_files(const IdxFile& images, const IdxFile& labels, const std::string& name,
                                         int height, int width) {
  return std::make_shared<ImageSet>(image_set_from_idx_files(images, labels, name, height, width));
}

}  // namespace

EMSCRIPTEN_BINDINGS(inspect) {
  value_object<Histogram>("Histogram")
      .field("low", &Histogram::low)
      .field("high", &Histogram::high)
      .field("counts", &Histogram::counts)
      .field("finite", &Histogram::finite)
      .field("non_finite", &Histogram::non_finite);
  value_object<ParameterHistograms>("ParameterHistograms")
      .field("layer", &ParameterHistograms::layer)
      .field("layer_kind", &ParameterHistograms::layer_kind)
      .field("name", &ParameterHistograms::name)
      .field("shape", &ParameterHistograms::shape)
      .field("values", &ParameterHistograms::values)
      .field("gradients", &ParameterHistograms::gradients);
  value_object<IdxFile>("IdxFile").field("name", &IdxFile::name).field("bytes", &IdxFile::bytes);

  function("layerOutputs", &Guard<&session_layer_outputs>::call);
  function("parameterHistograms", &Guard<&session_parameter_histograms>::call);
  function("convFilters", &Guard<&session_conv_filters>::call);
  function("augmentPreview", &Guard<&augment_preview_pixels>::call);
  function("loadIdxFiles", &Guard<&load_idx_files>::call);
}
