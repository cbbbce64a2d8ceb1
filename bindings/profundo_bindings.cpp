// Embind registrations for the engine. Only translation lives here: no defaults, no validation,
// no policy (those are in engine/, where the native tests reach them). Every call that can fail
// goes through Guard, so C++ errors arrive in JavaScript as Error objects with their message.
#include "guard.hpp"
#include "settings_values.hpp"
#include "vector_binding.hpp"

#include "core/build_info.hpp"
#include "core/peak_flops.hpp"
#include "data/image_set.hpp"
#include "interop/notebook.hpp"
#include "interop/onnx_session.hpp"
#include "interop/pytorch_project.hpp"
#include "model/flops.hpp"
#include "model/layer_types.hpp"
#include "model/presets.hpp"
#include "settings/registry.hpp"
#include "train/batch_trainer.hpp"
#include "train/classifier_session.hpp"

#include <nlohmann/json.hpp>

#include <emscripten/bind.h>

using namespace emscripten;
using namespace profundo;
using profundo::bindings::config_from_js;
using profundo::bindings::config_from_js_or_throw;
using profundo::bindings::config_to_js;
using profundo::bindings::Guard;

namespace {

// ---- conversions between JavaScript values and engine types -------------------------------------

std::shared_ptr<ImageSet> load_image_set(const val& image_bytes, const val& label_bytes, const std::string& name,
                                         int expected_height, int expected_width) {
  return std::make_shared<ImageSet>(load_image_set_from_idx_bytes(
      convertJSArrayToNumberVector<std::uint8_t>(image_bytes), convertJSArrayToNumberVector<std::uint8_t>(label_bytes),
      name, expected_height, expected_width));
}

std::unique_ptr<ClassifierSession> make_classifier_session(const ModelSpec& model, const val& training, const val& data,
                                                           std::shared_ptr<ImageSet> train_set,
                                                           std::shared_ptr<ImageSet> test_set, int threads) {
  return std::make_unique<ClassifierSession>(model, config_from_js(train_settings(), training, "training"),
                                             config_from_js(data_settings(), data, "data"), std::move(train_set),
                                             std::move(test_set), threads);
}

std::unique_ptr<ClassifierSession> resume_classifier_session(const val& bytes, const std::string& source,
                                                             std::shared_ptr<ImageSet> train_set,
                                                             std::shared_ptr<ImageSet> test_set, int threads) {
  const auto data = convertJSArrayToNumberVector<std::uint8_t>(bytes);
  return std::make_unique<ClassifierSession>(decode_checkpoint(data.data(), data.size(), source), source,
                                             std::move(train_set), std::move(test_set), threads);
}

bool stopped_early(const ClassifierSession& session) { return session.best().should_stop(); }

// The saved file's bytes, copied out of wasm memory into a new Uint8Array.
val save_classifier_session(ClassifierSession& session) {
  const std::vector<std::uint8_t> bytes = encode_checkpoint(session.checkpoint());
  return val::global("Uint8Array").new_(typed_memory_view(bytes.size(), bytes.data()));
}

std::unique_ptr<ClassifierSession> onnx_classifier_session(const val& bytes, const std::string& source,
                                                           std::shared_ptr<ImageSet> train_set,
                                                           std::shared_ptr<ImageSet> test_set, int threads) {
  const auto data = convertJSArrayToNumberVector<std::uint8_t>(bytes);
  return classifier_session_from_onnx(data.data(), data.size(), source, std::move(train_set), std::move(test_set),
                                      threads);
}

std::string onnx_dataset_of_bytes(const val& bytes, const std::string& source) {
  const auto data = convertJSArrayToNumberVector<std::uint8_t>(bytes);
  return onnx_dataset(data.data(), data.size(), source);
}

// The model as an ONNX file's bytes, copied out of wasm memory into a new Uint8Array.
val export_session_onnx_bytes(ClassifierSession& session) {
  const std::vector<std::uint8_t> bytes = export_session_onnx(session);
  return val::global("Uint8Array").new_(typed_memory_view(bytes.size(), bytes.data()));
}

// The PyTorch project as {path: text or Uint8Array}, binary files copied out of wasm memory.
val export_pytorch_project_files(ClassifierSession& session) {
  val files = val::object();
  for (const ProjectFile& file : pytorch_project(session)) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(file.content.data());
    files.set(file.path, file.binary ? val::global("Uint8Array").new_(typed_memory_view(file.content.size(), bytes)) : val(file.content));
  }
  return files;
}

std::string export_run_notebook(ClassifierSession& session, const std::string& request) {
  return run_notebook(session, notebook_run_from_json(request));
}

std::unique_ptr<BatchTrainer> make_batch_trainer(const ModelSpec& model, const val& training, int threads) {
  return std::make_unique<BatchTrainer>(model, config_from_js(train_settings(), training, "training"), threads);
}

std::vector<LayerSummary> summarize_model(const ModelSpec& spec) { return Model(spec).summary(); }
double model_forward_flops(const ModelSpec& spec) { return forward_flops_per_sample(Model(spec)); }
double model_training_flops(const ModelSpec& spec) { return training_flops_per_sample(Model(spec)); }
ModelSpec model_spec_from_text(const std::string& text) { return model_spec_from_json_text(text); }
std::string model_spec_to_text(const ModelSpec& spec) { return to_json(spec).dump(2); }

ModelSpec default_model_spec() { return {}; }
LayerSpec default_layer_spec() { return {}; }
val default_train_config() { return config_to_js(train_settings(), TrainConfig{}); }
val default_data_config() { return config_to_js(data_settings(), DataConfig{}); }
std::string describe_settings_text() { return describe_settings().dump(); }
std::string describe_layer_types_text() { return describe_layer_types().dump(); }
val preset_training(const Preset& preset) { return config_to_js(train_settings(), preset.training); }
void set_preset_training(Preset& preset, val training) {
  preset.training = config_from_js_or_throw(train_settings(), training, "training");
}
val preset_data(const Preset& preset) { return config_to_js(data_settings(), preset.data); }
void set_preset_data(Preset& preset, val data) { preset.data = config_from_js_or_throw(data_settings(), data, "data"); }

// A fresh Float32Array view on engine memory, for the caller to fill (inputs) or copy at once (outputs).
val tensor_view(Tensor& tensor) { return val(typed_memory_view(tensor.size(), tensor.data())); }
val batch_input(BatchTrainer& trainer, int batch) { return tensor_view(trainer.input(batch)); }
val batch_target(BatchTrainer& trainer, int batch) { return tensor_view(trainer.target(batch)); }
val batch_predict(BatchTrainer& trainer) { return tensor_view(const_cast<Tensor&>(trainer.predict())); }

std::vector<float> session_parameter(ClassifierSession& session, int index) {
  return session.model().parameter_values(index);
}
void session_set_parameter(ClassifierSession& session, int index, const std::vector<float>& values) {
  session.model().set_parameter_values(index, values);
}
std::vector<std::string> session_parameter_names(ClassifierSession& session) {
  std::vector<std::string> names;
  int layer_index = 0;
  for (auto& layer : session.model().layers()) {
    for (auto& parameter : layer->parameters())
      names.push_back(std::to_string(layer_index) + "." + layer->kind() + "." + parameter.name);
    ++layer_index;
  }
  return names;
}
// Numbers cross as doubles: this Embind has no 64-bit integers without BigInt.
double session_parameter_count(ClassifierSession& session) {
  return static_cast<double>(session.model().parameter_count());
}
std::vector<float> trainer_parameter(BatchTrainer& trainer, int index) { return trainer.model().parameter_values(index); }
void trainer_set_parameter(BatchTrainer& trainer, int index, const std::vector<float>& values) {
  trainer.model().set_parameter_values(index, values);
}

}  // namespace

EMSCRIPTEN_BINDINGS(profundo) {
  value_object<BuildInfo>("BuildInfo")
      .field("variant", &BuildInfo::variant)
      .field("simd", &BuildInfo::simd)
      .field("threads", &BuildInfo::threads);

  value_object<LayerSpec>("LayerSpec")
      .field("type", &LayerSpec::type)
      .field("units", &LayerSpec::units)
      .field("vocabulary_size", &LayerSpec::vocabulary_size)
      .field("filters", &LayerSpec::filters)
      .field("kernel_size", &LayerSpec::kernel_size)
      .field("stride", &LayerSpec::stride)
      .field("padding", &LayerSpec::padding)
      .field("init", &LayerSpec::init)
      .field("bias", &LayerSpec::bias)
      .field("slope", &LayerSpec::slope)
      .field("p", &LayerSpec::p)
      .field("momentum", &LayerSpec::momentum)
      .field("epsilon", &LayerSpec::epsilon);
  value_object<ModelSpec>("ModelSpec")
      .field("input", &ModelSpec::input)
      .field("layers", &ModelSpec::layers)
      .field("loss", &ModelSpec::loss);
  value_object<LayerSummary>("LayerSummary")
      .field("type", &LayerSummary::type)
      .field("output_shape", &LayerSummary::output_shape)
      .field("parameter_count", &LayerSummary::parameter_count);

  value_object<Preset>("Preset")
      .field("name", &Preset::name)
      .field("description", &Preset::description)
      .field("model", &Preset::model)
      .field("training", &preset_training, &set_preset_training)
      .field("data", &preset_data, &set_preset_data);

  value_object<StepResult>("StepResult")
      .field("loss", &StepResult::loss)
      .field("data_loss", &StepResult::data_loss)
      .field("learning_rate", &StepResult::learning_rate)
      .field("step", &StepResult::step)
      .field("grad_norm", &StepResult::grad_norm)
      .field("clipped", &StepResult::clipped);
  value_object<BatchReport>("BatchReport")
      .field("epoch", &BatchReport::epoch)
      .field("batch", &BatchReport::batch)
      .field("batches_per_epoch", &BatchReport::batches_per_epoch)
      .field("step", &BatchReport::step)
      .field("samples", &BatchReport::samples)
      .field("loss", &BatchReport::loss)
      .field("learning_rate", &BatchReport::learning_rate)
      .field("epoch_finished", &BatchReport::epoch_finished);
  value_object<Mistake>("Mistake")
      .field("index", &Mistake::index)
      .field("label", &Mistake::label)
      .field("predicted", &Mistake::predicted)
      .field("confidence", &Mistake::confidence);
  value_object<Evaluation>("Evaluation")
      .field("count", &Evaluation::count)
      .field("loss", &Evaluation::loss)
      .field("accuracy", &Evaluation::accuracy)
      .field("classes", &Evaluation::classes)
      .field("confusion", &Evaluation::confusion)
      .field("per_class_accuracy", &Evaluation::per_class_accuracy)
      .field("mistakes", &Evaluation::mistakes);

  enum_<Split>("Split").value("train", Split::train).value("dev", Split::dev).value("test", Split::test);

  function("buildInfo", &build_info);
  function("describeSettings", &describe_settings_text);
  function("layerTypes", &describe_layer_types_text);
  function("presetNames", &preset_names);
  function("preset", &Guard<&find_preset>::call);
  function("summarizeModel", &Guard<&summarize_model>::call);
  function("forwardFlopsPerSample", &Guard<&model_forward_flops>::call);
  function("trainingFlopsPerSample", &Guard<&model_training_flops>::call);
  function("peakF32x4Gflops", &Guard<&peak_f32x4_gflops>::call);
  function("modelSpecFromJson", &Guard<&model_spec_from_text>::call);
  function("modelSpecToJson", &model_spec_to_text);
  function("defaultModelSpec", &default_model_spec);
  function("defaultLayerSpec", &default_layer_spec);
  function("defaultTrainConfig", &default_train_config);
  function("defaultDataConfig", &default_data_config);
  function("loadImageSet", &Guard<&load_image_set>::call);

  class_<ImageSet>("ImageSet")
      .smart_ptr<std::shared_ptr<ImageSet>>("ImageSetPtr")
      .property("name", &ImageSet::name)
      .property("count", &ImageSet::count)
      .property("height", &ImageSet::height)
      .property("width", &ImageSet::width)
      .property("classes", &ImageSet::classes);

  class_<ClassifierSession>("ClassifierSession")
      .constructor(&Guard<&make_classifier_session>::call)
      .class_function("resume", &Guard<&resume_classifier_session>::call)
      .class_function("fromOnnx", &Guard<&onnx_classifier_session>::call)
      .class_function("onnxDataset", &Guard<&onnx_dataset_of_bytes>::call)
      .function("save", &Guard<&save_classifier_session>::call)
      .function("setHistory", &Guard<&ClassifierSession::set_history_json>::call)
      .function("exportOnnx", &Guard<&export_session_onnx_bytes>::call)
      .function("exportPytorchProject", &Guard<&export_pytorch_project_files>::call)
      .function("exportNotebook", &Guard<&export_run_notebook>::call)
      .function("setEpochs", &Guard<&ClassifierSession::set_epochs>::call)
      .function("trainNextBatch", &Guard<&ClassifierSession::train_next_batch>::call)
      .function("finished", &ClassifierSession::finished)
      .function("epoch", &ClassifierSession::epoch)
      .function("batchesPerEpoch", &ClassifierSession::batches_per_epoch)
      .function("evaluate", &Guard<&ClassifierSession::evaluate>::call)
      .function("offerDev", &Guard<&ClassifierSession::offer_dev>::call)
      .function("restoreKept", &Guard<&ClassifierSession::restore_kept>::call)
      .function("keepsBest", &ClassifierSession::keeps_best)
      .function("keptEpoch", &ClassifierSession::kept_epoch)
      .function("bestEpoch", &ClassifierSession::best_epoch)
      .function("bestDevAccuracy", &ClassifierSession::best_dev_accuracy)
      .function("lastDevAccuracy", &ClassifierSession::last_dev_accuracy)
      .function("stoppedEarly", &stopped_early)
      .function("predictPixels", &Guard<&ClassifierSession::predict_pixels>::call)
      .function("trainCount", &ClassifierSession::train_count)
      .function("devCount", &ClassifierSession::dev_count)
      .function("threads", &ClassifierSession::threads)
      .function("parameterCount", &session_parameter_count)
      .function("parameterNames", &session_parameter_names)
      .function("parameter", &Guard<&session_parameter>::call)
      .function("setParameter", &Guard<&session_set_parameter>::call);

  class_<BatchTrainer>("BatchTrainer")
      .constructor(&Guard<&make_batch_trainer>::call)
      .function("input", &Guard<&batch_input>::call)
      .function("target", &Guard<&batch_target>::call)
      .function("step", &Guard<&BatchTrainer::step>::call)
      .function("predict", &Guard<&batch_predict>::call)
      .function("threads", &BatchTrainer::threads)
      .function("parameter", &Guard<&trainer_parameter>::call)
      .function("setParameter", &Guard<&trainer_set_parameter>::call);
}
