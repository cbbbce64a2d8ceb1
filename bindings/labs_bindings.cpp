// Embind registrations for the course labs (engine/labs/): translation only. Training and
// optimiser settings cross as the engine's JSON (settings_values.hpp).
#include "guard.hpp"
#include "settings_values.hpp"
#include "vector_binding.hpp"

#include "labs/activation_curves.hpp"
#include "labs/bias_variance_lab.hpp"
#include "labs/ewa.hpp"
#include "labs/initialization_lab.hpp"
#include "labs/loss_surface.hpp"
#include "labs/network_lab.hpp"
#include "labs/normalization_lab.hpp"
#include "labs/optimizer_trajectory.hpp"
#include "labs/softmax_example.hpp"
#include "labs/toy_data.hpp"

#include <emscripten/bind.h>

using namespace emscripten;
using namespace profundo;
using profundo::bindings::config_from_js;
using profundo::bindings::config_from_js_or_throw;
using profundo::bindings::config_to_js;
using profundo::bindings::Guard;

namespace {

SurfaceGrid lab_surface_grid(const std::string& surface, int columns, int rows) {
  return surface_grid(parse_surface(surface), columns, rows);
}
Trajectory lab_trajectory(const std::string& surface, const val& optimizer, float w1, float w2, int steps) {
  return optimizer_trajectory(parse_surface(surface), config_from_js(optimizer_settings(), optimizer, "optimizer"), w1, w2,
                              steps);
}
val network_lab_training(const NetworkLabConfig& config) { return config_to_js(train_settings(), config.training); }
void set_network_lab_training(NetworkLabConfig& config, val training) {
  config.training = config_from_js_or_throw(train_settings(), training, "training");
}
std::unique_ptr<NetworkLab> make_network_lab(const NetworkLabConfig& config, const std::vector<float>& x,
                                             const std::vector<float>& labels) {
  return std::make_unique<NetworkLab>(config, x, labels);
}
BiasVarianceResult lab_bias_variance(std::shared_ptr<ImageSet> images, const BiasVarianceExperiment& experiment, int threads) {
  return run_bias_variance_experiment(*images, experiment, threads);
}
// The augmented images' bytes, copied out of wasm memory into a new Uint8Array.
val lab_augmentation_preview(std::shared_ptr<ImageSet> images, int index, int count, std::uint32_t seed) {
  const std::vector<std::uint8_t> pixels = augmentation_preview(*images, index, count, seed);
  return val::global("Uint8Array").new_(typed_memory_view(pixels.size(), pixels.data()));
}
NetworkLabConfig default_network_lab_config() { return {}; }
BiasVarianceExperiment default_bias_variance_experiment() { return {}; }
InitializationLabConfig default_initialization_lab_config() { return {}; }
NormalizationLabConfig default_normalization_lab_config() { return {}; }

}  // namespace

EMSCRIPTEN_BINDINGS(labs) {
  value_object<PointSet>("PointSet").field("x", &PointSet::x).field("labels", &PointSet::labels);
  value_object<SoftmaxReport>("SoftmaxReport")
      .field("softmax", &SoftmaxReport::softmax)
      .field("hardmax", &SoftmaxReport::hardmax)
      .field("loss", &SoftmaxReport::loss)
      .field("predicted", &SoftmaxReport::predicted);
  value_object<EwaSeries>("EwaSeries").field("plain", &EwaSeries::plain).field("corrected", &EwaSeries::corrected);
  value_object<SurfaceGrid>("SurfaceGrid")
      .field("w1_min", &SurfaceGrid::w1_min)
      .field("w1_max", &SurfaceGrid::w1_max)
      .field("w2_min", &SurfaceGrid::w2_min)
      .field("w2_max", &SurfaceGrid::w2_max)
      .field("columns", &SurfaceGrid::columns)
      .field("rows", &SurfaceGrid::rows)
      .field("values", &SurfaceGrid::values);
  value_object<Trajectory>("Trajectory")
      .field("w1", &Trajectory::w1)
      .field("w2", &Trajectory::w2)
      .field("loss", &Trajectory::loss)
      .field("diverged", &Trajectory::diverged);
  value_object<ActivationCurve>("ActivationCurve")
      .field("z", &ActivationCurve::z)
      .field("value", &ActivationCurve::value)
      .field("derivative", &ActivationCurve::derivative);
  value_object<LayerStatistics>("LayerStatistics")
      .field("kind", &LayerStatistics::kind)
      .field("mean", &LayerStatistics::mean)
      .field("stddev", &LayerStatistics::stddev)
      .field("dead_fraction", &LayerStatistics::dead_fraction)
      .field("min", &LayerStatistics::min)
      .field("max", &LayerStatistics::max)
      .field("histogram", &LayerStatistics::histogram);
  value_object<NetworkLabConfig>("NetworkLabConfig")
      .field("hidden", &NetworkLabConfig::hidden)
      .field("activation", &NetworkLabConfig::activation)
      .field("init", &NetworkLabConfig::init)
      .field("bias", &NetworkLabConfig::bias)
      .field("batch_norm", &NetworkLabConfig::batch_norm)
      .field("training", &network_lab_training, &set_network_lab_training);
  value_object<NetworkLabStep>("NetworkLabStep")
      .field("steps", &NetworkLabStep::steps)
      .field("epochs", &NetworkLabStep::epochs)
      .field("batch_loss", &NetworkLabStep::batch_loss)
      .field("loss", &NetworkLabStep::loss)
      .field("accuracy", &NetworkLabStep::accuracy)
      .field("learning_rate", &NetworkLabStep::learning_rate)
      .field("seconds", &NetworkLabStep::seconds);
  value_object<LinearCollapse>("LinearCollapse")
      .field("weight", &LinearCollapse::weight)
      .field("bias", &LinearCollapse::bias)
      .field("max_difference", &LinearCollapse::max_difference);
  value_object<InitializationLabConfig>("InitializationLabConfig")
      .field("init", &InitializationLabConfig::init)
      .field("activation", &InitializationLabConfig::activation)
      .field("layers", &InitializationLabConfig::layers)
      .field("width", &InitializationLabConfig::width)
      .field("samples", &InitializationLabConfig::samples)
      .field("bins", &InitializationLabConfig::bins)
      .field("seed", &InitializationLabConfig::seed);
  value_object<NormalizationLabConfig>("NormalizationLabConfig")
      .field("normalize", &NormalizationLabConfig::normalize)
      .field("learning_rate", &NormalizationLabConfig::learning_rate)
      .field("steps", &NormalizationLabConfig::steps)
      .field("columns", &NormalizationLabConfig::columns)
      .field("rows", &NormalizationLabConfig::rows)
      .field("samples", &NormalizationLabConfig::samples)
      .field("seed", &NormalizationLabConfig::seed);
  value_object<NormalizationLabReport>("NormalizationLabReport")
      .field("mean", &NormalizationLabReport::mean)
      .field("stddev", &NormalizationLabReport::stddev)
      .field("optimum", &NormalizationLabReport::optimum)
      .field("w1_min", &NormalizationLabReport::w1_min)
      .field("w1_max", &NormalizationLabReport::w1_max)
      .field("w2_min", &NormalizationLabReport::w2_min)
      .field("w2_max", &NormalizationLabReport::w2_max)
      .field("grid", &NormalizationLabReport::grid)
      .field("path_w1", &NormalizationLabReport::path_w1)
      .field("path_w2", &NormalizationLabReport::path_w2)
      .field("path_loss", &NormalizationLabReport::path_loss)
      .field("diverged", &NormalizationLabReport::diverged);

  value_object<BiasVarianceExperiment>("BiasVarianceExperiment")
      .field("train_size", &BiasVarianceExperiment::train_size)
      .field("dev_size", &BiasVarianceExperiment::dev_size)
      .field("hidden", &BiasVarianceExperiment::hidden)
      .field("l2", &BiasVarianceExperiment::l2)
      .field("l2_decoupled", &BiasVarianceExperiment::l2_decoupled)
      .field("normalization", &BiasVarianceExperiment::normalization)
      .field("dropout", &BiasVarianceExperiment::dropout)
      .field("augment", &BiasVarianceExperiment::augment)
      .field("epochs", &BiasVarianceExperiment::epochs)
      .field("learning_rate", &BiasVarianceExperiment::learning_rate)
      .field("seed", &BiasVarianceExperiment::seed);
  value_object<BiasVarianceResult>("BiasVarianceResult")
      .field("train_error", &BiasVarianceResult::train_error)
      .field("dev_error", &BiasVarianceResult::dev_error)
      .field("train_loss", &BiasVarianceResult::train_loss)
      .field("dev_loss", &BiasVarianceResult::dev_loss)
      .field("seconds", &BiasVarianceResult::seconds)
      .field("parameters", &BiasVarianceResult::parameters);

  function("labPointSet", &Guard<&make_point_set>::call);
  function("labSoftmax", &Guard<&softmax_report>::call);
  function("labEwa", &Guard<&exponentially_weighted_average>::call);
  function("labTemperatureSeries", &Guard<&temperature_series>::call);
  function("labSurfaceGrid", &Guard<&lab_surface_grid>::call);
  function("labTrajectory", &Guard<&lab_trajectory>::call);
  function("labActivationCurve", &Guard<&activation_curve>::call);
  function("labInitializationStatistics", &Guard<&initialization_statistics>::call);
  function("labNormalization", &Guard<&normalization_lab>::call);
  function("labBiasVariance", &Guard<&lab_bias_variance>::call);
  function("labAugmentationPreview", &Guard<&lab_augmentation_preview>::call);
  function("defaultBiasVarianceExperiment", &default_bias_variance_experiment);
  function("defaultNetworkLabConfig", &default_network_lab_config);
  function("defaultInitializationLabConfig", &default_initialization_lab_config);
  function("defaultNormalizationLabConfig", &default_normalization_lab_config);

  class_<NetworkLab>("NetworkLab")
      .constructor(&Guard<&make_network_lab>::call)
      .function("setPoints", &Guard<&NetworkLab::set_points>::call)
      .function("train", &Guard<&NetworkLab::train>::call)
      .function("trainEpochs", &Guard<&NetworkLab::train_epochs>::call)
      .function("evaluate", &Guard<&NetworkLab::evaluate>::call)
      .function("predictGrid", &Guard<&NetworkLab::predict_grid>::call)
      .function("weightGradientNorms", &Guard<&NetworkLab::weight_gradient_norms>::call)
      .function("activationStatistics", &Guard<&NetworkLab::activation_statistics>::call)
      .function("linearCollapse", &Guard<&NetworkLab::linear_collapse>::call)
      .function("batchNormRunning", &Guard<&NetworkLab::batch_norm_running>::call)
      .function("parameterCount", &Guard<&NetworkLab::parameter_count>::call)
      .function("parameter", &Guard<&NetworkLab::parameter>::call)
      .function("gradient", &Guard<&NetworkLab::gradient>::call)
      .function("points", &NetworkLab::points);
}
