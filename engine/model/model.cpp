#include "model/model.hpp"

#include "layers/activation.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv2d.hpp"
#include "layers/dropout.hpp"
#include "layers/pool2d.hpp"
#include "model/layer_types.hpp"
#include "model/model_limits.hpp"
#include "sequence/recurrent_layer.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

namespace {

bool is_sequence_model(const ModelSpec& spec) {
  return std::any_of(spec.layers.begin(), spec.layers.end(),
                     [](const LayerSpec& layer) { return is_sequence_layer(layer.type); });
}

std::string names_of_family(LayerFamily family) {
  std::string names;
  for (const auto& type : layer_types())
    if (type.family == family) names += (names.empty() ? "" : ", ") + type.name;
  return names;
}

// What the table says about the layer at `index` on `input`, before anything is allocated.
void check_fits(const ModelSpec& spec, const LayerType& type, const Shape& input) {
  if (is_sequence_model(spec)) {
    // In a sequence model every layer sees one feature vector per time step and sequence.
    if (type.family == LayerFamily::feedforward)
      throw std::invalid_argument(type.name + " cannot be used in a sequence model (one with " +
                                  names_of_family(LayerFamily::sequence) + " layers): use " +
                                  names_of_family(LayerFamily::sequence) + ", " + names_of_family(LayerFamily::any));
    if (input.size() != 1)
      throw std::invalid_argument(type.name + " in a sequence model needs one feature vector per step, got " + to_string(input));
  }
  if (type.image_input && input.size() != 3)
    throw std::invalid_argument(type.name + " needs an image input [channels, height, width], got " + to_string(input));
}

}  // namespace

Model::Model(const ModelSpec& spec) : spec_(spec), is_sequence_(is_sequence_model(spec)) {
  if (spec.input.empty()) throw std::invalid_argument("model.input: empty shape");
  for (int d : spec.input)
    if (d <= 0) throw std::invalid_argument("model.input: every dimension must be positive, got " + to_string(spec.input));
  if (spec.layers.empty()) throw std::invalid_argument("model.layers: the model has no layers");
  check_values_per_sample(spec.input, "model.input");
  Shape shape = spec.input;
  long long parameters = 0;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    try {
      const LayerType& type = layer_type(spec.layers[i].type);
      validate_layer(spec.layers[i], "model.layers[" + std::to_string(i) + "]");  // names the field and its range
      check_fits(spec, type, shape);
      // Limits first: the layer allocates its weights as it is built.
      parameters += planned_parameter_count(spec.layers[i], shape);
      if (parameters > max_model_parameters)
        throw std::invalid_argument("the model would have more than " + std::to_string(max_model_parameters) +
                                    " parameters; use fewer units, filters or a smaller kernel");
      layers_.push_back(type.make({spec, i, shape}));
      check_values_per_sample(layers_.back()->output_shape(), "its output");
    } catch (const SettingError&) {
      throw;  // already names model.layers[i].field
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument("model.layers[" + std::to_string(i) + "] (" + spec.layers[i].type + "): " + error.what());
    }
    shape = layers_.back()->output_shape();
  }
  loss_ = make_loss(spec.loss);
  if (spec.loss == "softmax_cross_entropy" && spec.layers.back().type == "softmax")
    throw std::invalid_argument(
        "model.layers: the last layer is softmax but the loss softmax_cross_entropy already applies it to the logits; "
        "remove the softmax layer");
  for (auto& layer : layers_)
    for (auto& parameter : layer->parameters()) parameters_.push_back(parameter);
  // Backward stops at the first layer with parameters: the layers before it have nothing to learn.
  first_trained_layer_ = layers_.size();
  for (std::size_t i = 0; i < layers_.size() && first_trained_layer_ == layers_.size(); ++i)
    if (!layers_[i]->parameters().empty()) first_trained_layer_ = i;
  if (first_trained_layer_ < layers_.size()) layers_[first_trained_layer_]->set_input_gradient_needed(false);
  if (loss_->takes_class_indices() && !is_sequence_)
    throw std::invalid_argument("model.loss: " + spec.loss + " is for sequence models (class index targets)");
  for (auto& layer : layers_)
    if (auto* recurrent = dynamic_cast<RecurrentLayer*>(layer.get()))
      for (Tensor& s : recurrent->state()) state_.push_back(&s);  // the layers never resize their state lists
  eval_fusion_.assign(layers_.size(), Conv2d::Fused{});
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (dynamic_cast<const Conv2d*>(layers_[i].get()) == nullptr) continue;
    Conv2d::Fused& fusion = eval_fusion_[i];
    auto next = [&]() { return i + fusion.layers() < layers_.size() ? layers_[i + fusion.layers()].get() : nullptr; };
    fusion.norm = dynamic_cast<const BatchNorm*>(next());
    const auto* activation = dynamic_cast<const Activation*>(next());
    fusion.relu = activation != nullptr && activation->activation() == ActivationKind::relu;
    fusion.pool = dynamic_cast<MaxPool2d*>(next());
  }
}

Shape Model::output_shape() const { return layers_.back()->output_shape(); }

std::vector<LayerSummary> Model::summary() const {
  std::vector<LayerSummary> rows;
  for (const auto& layer : layers_) {
    std::size_t count = 0;
    for (const auto& parameter : layer->parameters()) count += parameter.value->size();
    rows.push_back({layer->kind(), layer->output_shape(), static_cast<int>(count)});
  }
  return rows;
}

long long Model::parameter_count() const {
  long long count = 0;
  for (const auto& parameter : parameters_) count += static_cast<long long>(parameter.value->size());
  return count;
}

void Model::initialize(std::uint32_t seed) {
  Random rng(seed, RandomStream::initialization);
  for (auto& layer : layers_) layer->initialize(rng);
  zero_grad();
}

const Tensor& Model::forward(const Tensor& x, RunContext& context) {
  const Tensor* current = &x;
  for (std::size_t i = 0; i < layers_.size();) i += forward_layer(i, current, context);
  return *current;
}

std::size_t Model::forward_layer(std::size_t i, const Tensor*& current, RunContext& context) {
  const Conv2d::Fused& fusion = eval_fusion_[i];
  if (context.mode == Mode::eval && fusion.layers() > 1) {
    current = &static_cast<Conv2d&>(*layers_[i]).forward(*current, context, fusion);
    return fusion.layers();
  }
  current = &layers_[i]->forward(*current, context);
  return 1;
}

void Model::backward(const Tensor& output_grad, RunContext& context) {
  const Tensor* current = &output_grad;
  for (std::size_t i = layers_.size(); i-- > first_trained_layer_;) current = &layers_[i]->backward(*current, context);
}

int Model::rows(const Tensor& x) const {
  if (!is_sequence_) return x.rank() == 0 ? 0 : x.dim(0);
  return x.rank() < 2 ? 0 : x.dim(0) * x.dim(1);
}

void Model::reset_state(int batch) {
  for (auto& layer : layers_)
    if (auto* recurrent = dynamic_cast<RecurrentLayer*>(layer.get())) recurrent->reset_state(batch);
}

void Model::freeze_dropout_masks(bool frozen) {
  for (auto& layer : layers_)
    if (auto* dropout = dynamic_cast<Dropout*>(layer.get())) dropout->freeze_mask(frozen);
}

std::vector<float> Model::parameter_values(int index) const {
  if (index < 0 || index >= static_cast<int>(parameters_.size()))
    throw std::invalid_argument("parameter index " + std::to_string(index) + " is out of range (the model has " +
                                std::to_string(parameters_.size()) + " parameters)");
  const Tensor& value = *parameters_[static_cast<std::size_t>(index)].value;
  return {value.data(), value.data() + value.size()};
}

void Model::set_parameter_values(int index, const std::vector<float>& values) {
  const std::size_t expected = parameter_values(index).size();
  if (values.size() != expected)
    throw std::invalid_argument("parameter " + std::to_string(index) + " (" + parameters_[static_cast<std::size_t>(index)].name +
                                ") has " + std::to_string(expected) + " values, got " + std::to_string(values.size()));
  std::copy(values.begin(), values.end(), parameters_[static_cast<std::size_t>(index)].value->data());
}

void Model::zero_grad() {
  for (auto& parameter : parameters_) parameter.grad->set_zero();
}

}  // namespace profundo
