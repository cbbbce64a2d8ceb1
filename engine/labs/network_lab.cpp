#include "labs/network_lab.hpp"

#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace profundo {

namespace {

ModelSpec checked_spec(const NetworkLabConfig& config) {
  if (config.hidden.size() > 20) throw std::invalid_argument("network.hidden: at most 20 hidden layers, got " + std::to_string(config.hidden.size()));
  for (std::size_t l = 0; l < config.hidden.size(); ++l)
    if (config.hidden[l] < 1 || config.hidden[l] > 512)
      throw std::invalid_argument("network.hidden[" + std::to_string(l) + "] must be between 1 and 512 units, got " +
                                  std::to_string(config.hidden[l]));
  return network_lab_spec(config);
}

}  // namespace

ModelSpec network_lab_spec(const NetworkLabConfig& config) {
  ModelSpec spec;
  spec.input = {2};
  spec.loss = "sigmoid_binary_cross_entropy";
  for (const int units : config.hidden) {
    LayerSpec dense;
    dense.type = "dense";
    dense.units = units;
    dense.init = config.init;
    dense.bias = config.bias;
    spec.layers.push_back(dense);
    if (config.batch_norm) {
      LayerSpec norm;
      norm.type = "batchnorm";
      spec.layers.push_back(norm);
    }
    LayerSpec activation;
    activation.type = config.activation;
    spec.layers.push_back(activation);
  }
  LayerSpec output;
  output.type = "dense";
  output.units = 1;
  output.init = config.init;
  spec.layers.push_back(output);
  return spec;
}

NetworkLab::NetworkLab(const NetworkLabConfig& config, const std::vector<float>& x, const std::vector<float>& labels)
    : config_(config),
      pool_(1),
      model_(checked_spec(config)),
      trainer_(model_, config.training, pool_),
      shuffle_rng_(config.training.seed, RandomStream::shuffling) {
  model_.initialize(config.training.seed);
  set_points(x, labels);
}

void NetworkLab::set_points(const std::vector<float>& x, const std::vector<float>& labels) {
  const int count = static_cast<int>(labels.size());
  if (count < 1) throw std::invalid_argument("network.points: at least one point is needed");
  if (x.size() != 2 * labels.size())
    throw std::invalid_argument("network.points: x holds " + std::to_string(x.size()) + " values, expected 2 per label (" +
                                std::to_string(2 * labels.size()) + ")");
  for (const float label : labels)
    if (label != 0.0f && label != 1.0f) throw std::invalid_argument("network.labels must be 0 or 1");
  count_ = count;
  x_.resize({count, 2});
  std::copy(x.begin(), x.end(), x_.data());
  y_.resize({count, 1});
  std::copy(labels.begin(), labels.end(), y_.data());
  order_.resize(static_cast<std::size_t>(count));
  std::iota(order_.begin(), order_.end(), 0);
  shuffle_rng_.shuffle(order_);
  cursor_ = 0;
}

NetworkLabStep NetworkLab::train(int steps) {
  if (steps < 0 || steps > 1000000) throw std::invalid_argument("network.steps must be between 0 and 1000000, got " + std::to_string(steps));
  const auto start = std::chrono::steady_clock::now();
  const int batch = std::min(config_.training.batch_size, count_);
  float learning_rate = trainer_.learning_rate();
  for (int s = 0; s < steps; ++s) {
    if (cursor_ >= count_) {  // a new epoch: new order
      shuffle_rng_.shuffle(order_);
      cursor_ = 0;
      ++epochs_;
    }
    const int size = std::min(batch, count_ - cursor_);  // the last mini-batch of an epoch may be smaller
    batch_x_.resize({size, 2});
    batch_y_.resize({size, 1});
    for (int i = 0; i < size; ++i) {
      const int point = order_[static_cast<std::size_t>(cursor_ + i)];
      batch_x_[2 * i] = x_[2 * point];
      batch_x_[2 * i + 1] = x_[2 * point + 1];
      batch_y_[i] = y_[point];
    }
    cursor_ += size;
    const StepResult result = trainer_.step(batch_x_, batch_y_);
    last_batch_loss_ = result.loss;
    learning_rate = result.learning_rate;
  }
  if (cursor_ >= count_) {
    shuffle_rng_.shuffle(order_);
    cursor_ = 0;
    ++epochs_;
  }
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  NetworkLabStep report = evaluate();
  report.learning_rate = learning_rate;
  return report;
}

NetworkLabStep NetworkLab::train_epochs(int epochs) {
  if (epochs < 0 || epochs > 10000) throw std::invalid_argument("network.epochs must be between 0 and 10000, got " + std::to_string(epochs));
  const int batch = std::min(config_.training.batch_size, count_);
  const int per_epoch = (count_ + batch - 1) / batch;
  NetworkLabStep report = evaluate();
  for (int e = 0; e < epochs; ++e) report = train(per_epoch - cursor_ / batch);
  return report;
}

NetworkLabStep NetworkLab::evaluate() {
  RunContext context{pool_, Mode::eval, nullptr};
  const Tensor& logits = model_.forward(x_, context);
  Tensor probabilities;
  model_.loss().predict(logits, probabilities);
  NetworkLabStep report;
  report.loss = model_.loss().forward(logits, y_);
  int correct = 0;
  for (int i = 0; i < count_; ++i) correct += (probabilities[i] > 0.5f) == (y_[i] > 0.5f);
  report.accuracy = static_cast<float>(correct) / static_cast<float>(count_);
  report.steps = static_cast<int>(trainer_.steps());
  report.epochs = epochs_;
  report.batch_loss = last_batch_loss_;
  report.learning_rate = trainer_.learning_rate();
  report.seconds = static_cast<float>(seconds_);
  return report;
}

std::vector<float> NetworkLab::predict_grid(float x1_min, float x1_max, float x2_min, float x2_max, int columns, int rows) {
  if (columns < 2 || rows < 2 || columns * rows > 250000)
    throw std::invalid_argument("network grid must be at least 2×2 and at most 250000 points");
  Tensor grid({columns * rows, 2});
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      grid[2 * (r * columns + c)] = x1_min + (x1_max - x1_min) * static_cast<float>(c) / static_cast<float>(columns - 1);
      grid[2 * (r * columns + c) + 1] = x2_min + (x2_max - x2_min) * static_cast<float>(r) / static_cast<float>(rows - 1);
    }
  RunContext context{pool_, Mode::eval, nullptr};
  Tensor probabilities;
  model_.loss().predict(model_.forward(grid, context), probabilities);
  return {probabilities.data(), probabilities.data() + probabilities.size()};
}

std::vector<LayerStatistics> NetworkLab::activation_statistics(int bins) {
  return profundo::activation_statistics(model_, x_, bins);
}

std::vector<float> NetworkLab::gradient(int index) {
  if (index < 0 || index >= parameter_count())
    throw std::invalid_argument("network.parameter index " + std::to_string(index) + " is out of range");
  const Tensor& grad = *model_.parameters()[static_cast<std::size_t>(index)].grad;
  return {grad.data(), grad.data() + grad.size()};
}

std::vector<float> NetworkLab::batch_norm_running(int index) {
  int seen = 0;
  for (auto& layer : model_.layers()) {
    if (layer->kind() != "batchnorm") continue;
    if (seen++ != index) continue;
    const std::vector<Tensor*> buffers = layer->buffers();  // running mean, then running variance
    std::vector<float> values(buffers[0]->data(), buffers[0]->data() + buffers[0]->size());
    values.insert(values.end(), buffers[1]->data(), buffers[1]->data() + buffers[1]->size());
    return values;
  }
  throw std::invalid_argument("network: no batch-norm layer " + std::to_string(index) + " (the network has " + std::to_string(seen) + ")");
}

LinearCollapse NetworkLab::linear_collapse() {
  if (config_.activation != "linear" || config_.batch_norm)
    throw std::invalid_argument("network: W' = W^[L]···W^[1] exists only when every activation is linear (no batch norm)");
  // a^[l] = W^[l] a^[l−1] + b^[l]  ⇒  W' = W^[l] W',  b' = W^[l] b' + b^[l], layer by layer.
  Eigen::MatrixXf weight = Eigen::MatrixXf::Identity(2, 2);
  Eigen::VectorXf bias = Eigen::VectorXf::Zero(2);
  for (const auto& parameter : model_.parameters()) {
    if (parameter.is_weight) {
      const Eigen::MatrixXf w = parameter.value->matrix();  // [n^[l], n^[l−1]]
      weight = w * weight;
      bias = w * bias;
    } else {
      bias += parameter.value->vector();
    }
  }
  LinearCollapse collapse;
  collapse.weight = {weight(0, 0), weight(0, 1)};
  collapse.bias = bias(0);
  RunContext context{pool_, Mode::eval, nullptr};
  const Tensor& logits = model_.forward(x_, context);
  for (int i = 0; i < count_; ++i) {
    const float direct = weight(0, 0) * x_[2 * i] + weight(0, 1) * x_[2 * i + 1] + bias(0);
    collapse.max_difference = std::max(collapse.max_difference, std::abs(logits[i] - direct));
  }
  return collapse;
}

}  // namespace profundo
