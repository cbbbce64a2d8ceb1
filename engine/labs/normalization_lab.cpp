#include "labs/normalization_lab.hpp"

#include "core/random.hpp"
#include "model/model.hpp"
#include "optim/optimizer.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>
#include <string>

namespace profundo {

namespace {

// J(w1, w2) of the model on (x, y) with the bias at 0.
float loss_at(Model& model, const Tensor& x, const Tensor& y, float w1, float w2, RunContext& context) {
  model.set_parameter_values(0, {w1, w2});
  return model.loss().forward(model.forward(x, context), y);
}

}  // namespace

NormalizationLabReport normalization_lab(const NormalizationLabConfig& config) {
  if (config.steps < 0 || config.steps > 10000) throw std::invalid_argument("normalization.steps must be between 0 and 10000, got " + std::to_string(config.steps));
  if (config.samples < 2 || config.samples > 10000)
    throw std::invalid_argument("normalization.samples must be between 2 and 10000, got " + std::to_string(config.samples));
  if (config.columns < 2 || config.rows < 2 || config.columns * config.rows > 40000)
    throw std::invalid_argument("normalization grid must be at least 2×2 and at most 40000 points");
  OptimizerConfig sgd;
  sgd.kind = "sgd";
  sgd.learning_rate = config.learning_rate;
  auto optimizer = make_optimizer(sgd);  // validates α

  // The data: x1 ~ N(4, 3²) (large), x2 ~ N(0.4, 0.3²) (small), y = x1 + 8 x2 + noise.
  const int m = config.samples;
  Random rng(config.seed, RandomStream::user);
  Tensor x({m, 2}), y({m, 1});
  for (int i = 0; i < m; ++i) {
    x[2 * i] = 4.0f + 3.0f * rng.normal();
    x[2 * i + 1] = 0.4f + 0.3f * rng.normal();
    y[i] = x[2 * i] + 8.0f * x[2 * i + 1] + 0.5f * rng.normal();
  }
  NormalizationLabReport report;
  const Eigen::RowVector2f mean = x.matrix().colwise().mean();
  const Eigen::RowVector2f stddev = ((x.matrix().rowwise() - mean).array().square().colwise().mean()).sqrt();
  report.mean = {mean(0), mean(1)};
  report.stddev = {stddev(0), stddev(1)};
  if (config.normalize) {  // the course: x = x − μ, x /= σ; y is centred so that no bias is needed
    x.matrix() = ((x.matrix().rowwise() - mean).array().rowwise() / stddev.array()).matrix();
    y.vector().array() -= y.vector().mean();
  }
  // Least squares, for the window and the target: w* = (XᵀX)⁻¹ Xᵀy.
  const Eigen::MatrixXf X = x.matrix();
  const Eigen::Vector2f optimum = (X.transpose() * X).ldlt().solve(X.transpose() * y.vector());
  report.optimum = {optimum(0), optimum(1)};

  ModelSpec spec;
  spec.input = {2};
  spec.loss = "mean_squared_error";
  LayerSpec dense;
  dense.type = "dense";
  dense.units = 1;
  dense.init = "zeros";
  spec.layers.push_back(dense);
  Model model(spec);
  model.initialize(config.seed);
  ThreadPool pool(1);
  RunContext context{pool, Mode::train, nullptr};

  // A window around the start (0, 0) and the optimum, with a margin.
  const float span1 = std::max(std::abs(optimum(0)), 1.0f), span2 = std::max(std::abs(optimum(1)), 1.0f);
  report.w1_min = std::min(0.0f, optimum(0)) - 0.5f * span1;
  report.w1_max = std::max(0.0f, optimum(0)) + 0.5f * span1;
  report.w2_min = std::min(0.0f, optimum(1)) - 0.5f * span2;
  report.w2_max = std::max(0.0f, optimum(1)) + 0.5f * span2;
  report.grid.reserve(static_cast<std::size_t>(config.columns * config.rows));
  for (int r = 0; r < config.rows; ++r)
    for (int c = 0; c < config.columns; ++c) {
      const float w1 = report.w1_min + (report.w1_max - report.w1_min) * static_cast<float>(c) / static_cast<float>(config.columns - 1);
      const float w2 = report.w2_min + (report.w2_max - report.w2_min) * static_cast<float>(r) / static_cast<float>(config.rows - 1);
      report.grid.push_back(loss_at(model, x, y, w1, w2, context));
    }

  // Gradient descent on W only (b stays 0): the engine's forward, loss, backward and SGD step.
  model.set_parameter_values(0, {0.0f, 0.0f});
  std::vector<Parameter> weight{model.parameters()[0]};
  for (int t = 0; t <= config.steps; ++t) {
    const float loss = model.loss().forward(model.forward(x, context), y);
    const auto w = model.parameter_values(0);
    report.path_w1.push_back(w[0]);
    report.path_w2.push_back(w[1]);
    report.path_loss.push_back(loss);
    if (!std::isfinite(loss) || std::abs(w[0]) > 1e6f || std::abs(w[1]) > 1e6f) {
      report.diverged = true;
      break;
    }
    if (t == config.steps) break;
    model.zero_grad();
    model.backward(model.loss().backward(), context);
    optimizer->step(weight, config.learning_rate);
  }
  return report;
}

}  // namespace profundo
