#include "model/model.hpp"

#include "layers/activation.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv2d.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/flatten.hpp"
#include "layers/pool2d.hpp"
#include "layers/softmax.hpp"
#include "model/model_limits.hpp"
#include "sequence/embedding.hpp"
#include "sequence/gru.hpp"
#include "sequence/lstm.hpp"
#include "sequence/rnn.hpp"

#include <algorithm>
#include <stdexcept>

namespace profundo {

namespace {

bool is_relu_like(const std::string& type) { return type == "relu" || type == "leaky_relu"; }

// "auto" picks He for layers followed by a ReLU-like activation (possibly after batch norm),
// Xavier otherwise: the course's recipe.
Init weight_init(const ModelSpec& spec, std::size_t index) {
  const std::string& name = spec.layers[index].init;
  if (name != "auto") return parse_init(name);
  std::size_t next = index + 1;
  while (next < spec.layers.size() && spec.layers[next].type == "batchnorm") ++next;
  const bool feeds_relu = next < spec.layers.size() && is_relu_like(spec.layers[next].type);
  return feeds_relu ? Init::he_normal : Init::xavier_uniform;
}

void require_image_input(const Shape& input, const std::string& type) {
  if (input.size() != 3)
    throw std::invalid_argument(type + " needs an image input [channels, height, width], got " + to_string(input));
}

bool is_sequence_model(const ModelSpec& spec) {
  return std::any_of(spec.layers.begin(), spec.layers.end(),
                     [](const LayerSpec& layer) { return is_sequence_layer(layer.type); });
}

// In a sequence model every layer sees one feature vector per time step and sequence.
void check_fits_sequence(const ModelSpec& spec, std::size_t index, const Shape& input) {
  const std::string& type = spec.layers[index].type;
  if (type == "embedding" && (index != 0 || input != Shape{1}))
    throw std::invalid_argument("embedding must be the first layer, on model.input [1] (one token index per step), "
                                "got input " + to_string(input));
  const bool per_step = type == "embedding" || is_recurrent_layer(type) || type == "dense" || type == "dropout" ||
                        type == "relu" || type == "leaky_relu" || type == "sigmoid" || type == "tanh" || type == "linear";
  if (!per_step)
    throw std::invalid_argument(type + " cannot be used in a sequence model (one with embedding, rnn, gru or lstm "
                                "layers): use embedding, rnn, gru, lstm, dense, dropout or an activation");
  if (input.size() != 1)
    throw std::invalid_argument(type + " in a sequence model needs one feature vector per step, got " + to_string(input));
}

std::unique_ptr<Layer> make_layer(const ModelSpec& spec, std::size_t index, const Shape& input) {
  const LayerSpec& layer = spec.layers[index];
  const int features = static_cast<int>(element_count(input));
  if (is_sequence_model(spec)) check_fits_sequence(spec, index, input);
  if (layer.type == "embedding") return std::make_unique<Embedding>(layer.vocabulary_size, layer.units);
  if (layer.type == "rnn") return std::make_unique<Rnn>(features, layer.units);
  if (layer.type == "gru") return std::make_unique<Gru>(features, layer.units);
  if (layer.type == "lstm") return std::make_unique<Lstm>(features, layer.units);
  if (layer.type == "dense")
    return std::make_unique<Dense>(features, layer.units, weight_init(spec, index), layer.bias);
  if (layer.type == "conv2d") {
    require_image_input(input, "conv2d");
    return std::make_unique<Conv2d>(input, layer.filters, layer.kernel_size, layer.stride == 0 ? 1 : layer.stride,
                                    parse_padding(layer.padding), weight_init(spec, index), layer.bias);
  }
  if (layer.type == "maxpool2d" || layer.type == "avgpool2d") {
    require_image_input(input, layer.type);
    const int stride = layer.stride == 0 ? layer.kernel_size : layer.stride;
    if (layer.type == "maxpool2d") return std::make_unique<MaxPool2d>(input, layer.kernel_size, stride);
    return std::make_unique<AvgPool2d>(input, layer.kernel_size, stride);
  }
  if (layer.type == "dropout") return std::make_unique<Dropout>(input, layer.p);
  if (layer.type == "batchnorm") return std::make_unique<BatchNorm>(input, layer.momentum, layer.epsilon);
  if (layer.type == "softmax") return std::make_unique<Softmax>(features);
  if (layer.type == "flatten") return std::make_unique<Flatten>(input);
  if (layer.type == "relu" || layer.type == "leaky_relu" || layer.type == "sigmoid" || layer.type == "tanh" ||
      layer.type == "linear")
    return std::make_unique<Activation>(parse_activation(layer.type), input, layer.slope);
  throw std::invalid_argument("unknown layer type '" + layer.type +
                              "' (expected dense, conv2d, maxpool2d, avgpool2d, flatten, dropout, batchnorm, relu, "
                              "leaky_relu, sigmoid, tanh, linear, softmax, embedding, rnn, gru or lstm)");
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
      // Limits first: the layer allocates its weights as it is built.
      parameters += planned_parameter_count(spec.layers[i], shape);
      if (parameters > max_model_parameters)
        throw std::invalid_argument("the model would have more than " + std::to_string(max_model_parameters) +
                                    " parameters; use fewer units, filters or a smaller kernel");
      layers_.push_back(make_layer(spec, i, shape));
      check_values_per_sample(layers_.back()->output_shape(), "its output");
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
  relu_after_conv_.assign(layers_.size(), false);
  for (std::size_t i = 0; i + 1 < layers_.size(); ++i) {
    const auto* activation = dynamic_cast<const Activation*>(layers_[i + 1].get());
    relu_after_conv_[i] = dynamic_cast<const Conv2d*>(layers_[i].get()) != nullptr && activation != nullptr &&
                          activation->activation() == ActivationKind::relu;
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
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (context.mode == Mode::eval && relu_after_conv_[i]) {
      current = &static_cast<Conv2d&>(*layers_[i]).forward(*current, context, Conv2d::Output::relu);
      ++i;  // the ReLU is applied
      continue;
    }
    current = &layers_[i]->forward(*current, context);
  }
  return *current;
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
