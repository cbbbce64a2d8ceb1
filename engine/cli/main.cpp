// profundo-cli: the native command-line trainer.
//   profundo-cli train --preset mlp --epochs 5 --seed 1 [--json] [--data DIR] ...
//   profundo-cli text --corpus FILE --cell lstm --minutes 10 ...   (see cli/text_command.cpp)
#include "cli/arguments.hpp"
#include "cli/image_sets.hpp"
#include "cli/onnx_command.hpp"
#include "cli/progress_bar.hpp"
#include "cli/text_command.hpp"
#include "io/atomic_file.hpp"
#include "interop/onnx_session.hpp"
#include "io/gzip_file.hpp"
#include "model/presets.hpp"
#include "train/classifier_session.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace profundo;
using nlohmann::json;

namespace {

const char* kUsage = R"(usage: profundo-cli train [options]
       profundo-cli text [options]    (character-level language model; `text --help` for its options)
       profundo-cli export --resume RUN.profundo --format onnx --out MODEL.onnx   (`export --help`)
       profundo-cli evaluate --onnx MODEL.onnx | --resume RUN.profundo [--outputs N] [--json]

Trains an image classifier on MNIST (or another IDX dataset) and reports train/dev/test metrics.

  --preset NAME        logreg, mlp, tfjs-cnn, keras-cnn, lenet5, best or fast99 (default mlp)
  --model FILE.json    a model description instead of the preset's model
  --epochs N           epochs (default: the preset's)
  --batch-size N       1 = stochastic, the train size = batch gradient descent (default: preset's)
  --optimizer NAME     sgd, momentum, rmsprop or adam (default: preset's)
  --lr X               learning rate α (default: preset's)
  --beta X, --beta1 X, --beta2 X, --epsilon X   optimiser hyper-parameters
  --schedule NAME      constant, inverse_time, step or exponential; with --c1, --c2, --gamma, --step-size
  --l2 X               L2 regularisation λ (default 0)
  --seed N             seed for initialisation, split and shuffling (default 1)
  --dev-size N         images carved from the training set for the dev split (default 5000)
  --normalization K    none, scale or standardize (default scale)
  --augment            random shifts, rotations and zoom of training digits (on for the best preset)
  --shift PX, --rotation DEG, --zoom FRACTION, --elastic ALPHA   augmentation strengths
                       (defaults 2, 10, 0.1 and 0 = no elastic distortion)
  --no-augment         turn augmentation off (also for best)
  --threads N          threads (default: all hardware threads)
  --dataset NAME       mnist or fashion-mnist (default mnist)
  --data DIR           folder with the four IDX files, .gz or not (default public/data/DATASET)
  --save FILE          save the model, optimiser state and progress after every epoch (atomically)
  --resume FILE        continue a saved run exactly (its model, settings and dataset); --epochs N
                       sets the total number of epochs
  --init-onnx FILE     start from an ONNX image classifier (its model, weights and normalisation)
                       and fine-tune it with these settings
  --train-eval N        images of the training split used for the per-epoch train metrics
                       (default 10000, 0 = all)
  --json               one JSON object per line instead of text
  --log-every N        with --json, also report the loss of every N-th batch
)";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TrainConfig training_from(const cli::Arguments& args, TrainConfig config) {
  config.epochs = args.integer("epochs", config.epochs);
  config.batch_size = args.integer("batch-size", config.batch_size);
  config.optimizer.kind = args.text("optimizer", config.optimizer.kind);
  config.optimizer.learning_rate = args.number("lr", config.optimizer.learning_rate);
  config.optimizer.beta = args.number("beta", config.optimizer.beta);
  config.optimizer.beta1 = args.number("beta1", config.optimizer.beta1);
  config.optimizer.beta2 = args.number("beta2", config.optimizer.beta2);
  config.optimizer.epsilon = args.number("epsilon", config.optimizer.epsilon);
  config.schedule.kind = args.text("schedule", config.schedule.kind);
  config.schedule.c1 = args.number("c1", config.schedule.c1);
  config.schedule.c2 = args.number("c2", config.schedule.c2);
  config.schedule.gamma = args.number("gamma", config.schedule.gamma);
  config.schedule.step_size = args.integer("step-size", config.schedule.step_size);
  config.l2 = args.number("l2", config.l2);
  const int seed = args.integer("seed", static_cast<int>(config.seed));
  if (seed < 0) throw std::invalid_argument("--seed must be zero or positive, got " + std::to_string(seed));
  config.seed = static_cast<std::uint32_t>(seed);
  return config;
}

std::string read_text_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error(path + ": cannot open");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Rows: true class; columns: predicted class; then each class's accuracy and the surest mistakes.
void print_confusion(const Evaluation& evaluation) {
  const int classes = evaluation.classes;
  std::printf("confusion matrix (rows: true digit, columns: predicted)\n     ");
  for (int p = 0; p < classes; ++p) std::printf("%6d", p);
  std::printf("  accuracy\n");
  for (int t = 0; t < classes; ++t) {
    std::printf("%5d", t);
    for (int p = 0; p < classes; ++p) std::printf("%6d", evaluation.confusion[static_cast<std::size_t>(t * classes + p)]);
    std::printf("  %7.2f%%\n", 100.0 * evaluation.per_class_accuracy[static_cast<std::size_t>(t)]);
  }
  if (!evaluation.mistakes.empty()) {
    std::printf("most confident mistakes (test image: true -> predicted, confidence):");
    for (const Mistake& m : evaluation.mistakes)
      std::printf(" #%d: %d->%d %.0f%%", m.index, m.label, m.predicted, 100.0 * m.confidence);
    std::printf("\n");
  }
}

json evaluation_json(const Evaluation& evaluation) {
  return {{"loss", evaluation.loss}, {"accuracy", evaluation.accuracy}};
}

int train(const cli::Arguments& args) {
  const auto start = std::chrono::steady_clock::now();
  const bool as_json = args.has("json");
  const Preset preset = find_preset(args.text("preset", "mlp"));
  std::optional<ImportedClassifier> imported;
  if (args.has("init-onnx") && args.has("resume")) throw std::invalid_argument("--init-onnx and --resume exclude each other");
  if (args.has("init-onnx")) imported = cli::read_onnx_file(args.text("init-onnx", ""));
  const ModelSpec model = imported ? imported->spec
                          : args.has("model") ? model_spec_from_json_text(read_text_file(args.text("model", "")))
                                              : preset.model;
  const TrainConfig config = training_from(args, preset.training);
  DataConfig data = preset.data;
  if (imported) data.normalization = imported->metadata.normalization.kind;
  data.dev_size = args.integer("dev-size", data.dev_size);
  data.normalization = args.text("normalization", data.normalization);
  if (args.has("augment") && !data.augment.enabled()) data.augment = default_digit_augmentation();
  if (data.augment.enabled()) {
    data.augment.max_shift = args.number("shift", data.augment.max_shift);
    data.augment.max_rotation = args.number("rotation", data.augment.max_rotation);
    data.augment.max_zoom = args.number("zoom", data.augment.max_zoom);
    data.augment.elastic_alpha = args.number("elastic", data.augment.elastic_alpha);
  }
  if (args.has("no-augment")) data.augment = AugmentConfig{};
  const int threads = args.integer("threads", ThreadPool::hardware_threads());
  const int log_every = args.integer("log-every", 0);
  // Train metrics on a fixed random subset: a full pass over 55,000 images would cost a third of
  // an epoch, and 10,000 measure the train error (for bias vs variance) to about ±0.1 %.
  const int train_eval_size = args.integer("train-eval", 10000);

  // A resumed run takes its model, settings and dataset from the file; --epochs may extend it.
  std::optional<Checkpoint> resumed;
  const std::string resume_path = args.text("resume", "");
  if (!resume_path.empty()) {
    const auto bytes = read_file(resume_path, std::size_t{1} << 31);
    resumed = decode_checkpoint(bytes.data(), bytes.size(), resume_path);
  }
  std::string dataset = args.text("dataset", "mnist");
  if (resumed && !args.has("dataset") && resumed->header.contains("dataset")) {
    const std::string trained_on = resumed->header.value("dataset", std::string());
    dataset = trained_on.substr(0, trained_on.rfind("-train"));
  }
  if (dataset != "mnist" && dataset != "fashion-mnist")
    throw std::invalid_argument("--dataset must be mnist or fashion-mnist, got '" + dataset + "'");
  const std::string dir = args.text("data", "public/data/" + dataset);
  const auto train_set = cli::load_set(dir, "train", dataset + "-train");
  const auto test_set = cli::load_set(dir, "t10k", dataset + "-test");
  std::unique_ptr<ClassifierSession> owned =
      resumed ? std::make_unique<ClassifierSession>(*resumed, resume_path, train_set, test_set, threads)
              : std::make_unique<ClassifierSession>(model, config, data, train_set, test_set, threads);
  ClassifierSession& session = *owned;
  if (imported) load_imported(session, *imported);
  if (resumed && args.has("epochs")) session.set_epochs(config.epochs);
  const int epochs = resumed && !args.has("epochs") ? resumed->header["training"].value("epochs", 1) : config.epochs;
  const std::string save_path = args.text("save", "");
  const auto save = [&] {
    if (!save_path.empty()) write_file_atomically(save_path, encode_checkpoint(session.checkpoint()));
  };

  if (as_json) {
    std::cout << json{{"event", "start"},          {"preset", preset.name}, {"dataset", dataset},
                      {"parameters", session.model().parameter_count()},
                      {"train", session.train_count()}, {"dev", session.dev_count()},
                      {"test", test_set->count},        {"threads", session.threads()},
                      {"batches_per_epoch", session.batches_per_epoch()}}
                     .dump()
              << std::endl;
  } else {
    std::printf("%s: %lld parameters; %d train, %d dev, %d test images; %d thread(s)\n", preset.name.c_str(),
                session.model().parameter_count(), session.train_count(), session.dev_count(), test_set->count,
                session.threads());
  }

  cli::ProgressBar bar(!as_json);
  while (!session.finished()) {
    const auto epoch_start = std::chrono::steady_clock::now();
    double loss_sum = 0.0;
    int batches = 0;
    BatchReport report;
    do {
      report = session.train_next_batch();
      loss_sum += report.loss;
      ++batches;
      if (as_json && log_every > 0 && (report.step - 1) % log_every == 0)
        std::cout << json{{"event", "batch"}, {"epoch", report.epoch + 1}, {"batch", report.batch + 1},
                          {"step", report.step}, {"loss", report.loss}, {"learning_rate", report.learning_rate}}
                         .dump()
                  << "\n";
      bar.update(report.epoch + 1, epochs, report.batch + 1, report.batches_per_epoch,
                 static_cast<float>(loss_sum / batches));
    } while (!report.epoch_finished);
    bar.finish();
    save();  // after every epoch, atomically: an interrupted run keeps its last finished epoch
    const Evaluation train_eval = session.evaluate(Split::train, 0, train_eval_size);
    const Evaluation dev_eval = session.evaluate(Split::dev);
    const double epoch_seconds = seconds_since(epoch_start);
    if (as_json) {
      std::cout << json{{"event", "epoch"},           {"epoch", report.epoch + 1},
                        {"train", evaluation_json(train_eval)},
                        {"dev", evaluation_json(dev_eval)}, {"seconds", epoch_seconds}}
                       .dump()
                << std::endl;
    } else {
      std::printf("epoch %2d/%d  train loss %.4f acc %6.2f%%  dev loss %.4f acc %6.2f%%  (%.1f s)\n",
                  report.epoch + 1, epochs, train_eval.loss, 100.0 * train_eval.accuracy, dev_eval.loss,
                  100.0 * dev_eval.accuracy, epoch_seconds);
      std::fflush(stdout);  // one line per epoch even when piped to a file
    }
  }
  const Evaluation test_eval = session.evaluate(Split::test, 10);
  const double seconds = seconds_since(start);
  if (as_json) {
    json mistakes = json::array();
    for (const Mistake& m : test_eval.mistakes)
      mistakes.push_back({{"index", m.index}, {"label", m.label}, {"predicted", m.predicted}, {"confidence", m.confidence}});
    std::cout << json{{"event", "done"},
                      {"test_accuracy", test_eval.accuracy},
                      {"test_loss", test_eval.loss},
                      {"per_class_accuracy", test_eval.per_class_accuracy},
                      {"confusion", test_eval.confusion},
                      {"mistakes", mistakes},
                      {"seconds", seconds}}
                     .dump()
              << std::endl;
  } else {
    print_confusion(test_eval);
    std::printf("test loss %.4f  test accuracy %.2f%%  (%.1f s in all)\n", test_eval.loss, 100.0 * test_eval.accuracy,
                seconds);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "train") {
      const cli::Arguments parsed(
          args,
          {"preset", "model", "epochs", "batch-size", "optimizer", "lr", "beta", "beta1", "beta2", "epsilon",
           "schedule", "c1", "c2", "gamma", "step-size", "l2", "seed", "dev-size", "normalization", "threads", "data",
           "dataset", "log-every", "save", "resume", "train-eval", "shift", "rotation", "zoom", "elastic", "init-onnx"},
          {"json", "augment", "no-augment"});
      return train(parsed);
    }
    if (command == "export" || command == "evaluate") {
      if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(cli::kOnnxUsage, stdout);
        return 0;
      }
      return command == "export" ? cli::run_export_command(args) : cli::run_evaluate_command(args);
    }
    if (command == "text") {
      if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(cli::kTextUsage, stdout);
        return 0;
      }
      return cli::run_text_command(args);
    }
    std::fprintf(stderr, "profundo-cli: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "profundo-cli: error: %s\n", error.what());
    return 1;
  }
}
