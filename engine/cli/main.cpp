// profundo-cli: the native command-line trainer.
//   profundo-cli train --preset mlp --epochs 5 --seed 1 [--json] [--data DIR] ...
//   profundo-cli text --corpus FILE --cell lstm --minutes 10 ...   (see cli/text_command.cpp)
//   profundo-cli bias-variance --row labs.bv.recipe.l2 --seed 2 ... (see cli/bias_variance_command.cpp)
#include "cli/arguments.hpp"
#include "cli/bias_variance_command.hpp"
#include "cli/image_sets.hpp"
#include "cli/onnx_command.hpp"
#include "cli/progress_bar.hpp"
#include "cli/text_command.hpp"
#include "io/atomic_file.hpp"
#include "interop/onnx_session.hpp"
#include "io/gzip_file.hpp"
#include "model/flops.hpp"
#include "model/presets.hpp"
#include "model/layer_types.hpp"
#include "settings/registry.hpp"
#include "text/text_presets.hpp"
#include "train/classifier_session.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace profundo;
using nlohmann::json;

namespace {

const char* kUsage = R"(usage: profundo-cli train [options]
       profundo-cli text [options]    (character-level language model; `text --help` for its options)
       profundo-cli settings          (the settings registry as JSON: every field, range, default, URL key;
                                       --text-presets: the text lab's presets)
       profundo-cli layers            (the layer types as JSON: each type's fields, family, example)
       profundo-cli export --resume RUN.profundo --format onnx --out MODEL.onnx   (`export --help`)
       profundo-cli export --resume RUN.profundo --format pytorch --out DIR   (a PyTorch project continuing the run)
       profundo-cli evaluate --onnx MODEL.onnx | --resume RUN.profundo [--outputs N] [--json]
       profundo-cli text-logits --resume TEXT_RUN.profundo --prefix TEXT   (a text model's outputs, JSON)
       profundo-cli bias-variance [--row KEY]   (one bias/variance lab experiment as JSON; `bias-variance --help`)

Trains an image classifier on MNIST (or another IDX dataset) and reports train/dev/test metrics.
The settings' defaults are the engine's; a preset (and a resumed file) sets its own. With --keep
best the epoch with the best dev accuracy is saved and tested (last: the last epoch's model; never
chosen on test); --patience N stops after N epochs in a row without a better dev accuracy.

  --preset NAME        logreg, mlp, tfjs-cnn, keras-cnn, lenet5, best or fast99 (default mlp)
  --model FILE.json    a model description instead of the preset's model
SETTINGS
  --augment            random shifts, rotations and zoom of training digits (on for the best preset);
                       the strengths above start from 2 px, 10 degrees and 0.1
  --no-augment         turn augmentation off (also for best)
  --threads N          threads (default: all hardware threads)
  --dataset NAME       mnist or fashion-mnist (default mnist)
  --data DIR           folder with the four IDX files, .gz or not (default public/data/DATASET)
  --save FILE          save the kept model, optimiser state and progress after every epoch (atomically;
                       with --keep best, after every epoch that improves the dev accuracy)
  --resume FILE        continue a saved run exactly (its model, settings and dataset); --epochs N
                       sets the total number of epochs (any other setting beside it is refused)
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

// Every option of the settings registry (train_settings(), data_settings()) and the rest.
std::string usage() {
  std::string text = kUsage;
  const std::string marker = "SETTINGS\n";
  text.replace(text.find(marker), marker.size(), cli_usage(train_settings()) + cli_usage(data_settings()));
  return text;
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
  const auto given = [&](const std::string& option) { return args.setting(option); };
  const TrainConfig config = settings_from_cli(train_settings(), given, "training", preset.training);
  DataConfig data = preset.data;
  if (imported) data.normalization = imported->metadata.normalization.kind;
  if (args.has("augment") && !data.augment.enabled()) data.augment = default_digit_augmentation();
  data = settings_from_cli(data_settings(), given, "data", data);
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
  if (resumed) {
    std::vector<std::string> settings = {"preset", "model", "augment", "no-augment"};
    for (auto& name : cli_option_names(train_settings())) settings.push_back(std::move(name));
    for (auto& name : cli_option_names(data_settings())) settings.push_back(std::move(name));
    cli::refuse_beside_resume(args, settings, {"epochs"}, resume_path);
  }
  // An imported model's file names the dataset it was trained on (our export does).
  std::string dataset = args.text("dataset", imported ? dataset_of(*imported) : "mnist");
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
  const auto save = [&](const Checkpoint& checkpoint) {
    if (!save_path.empty()) write_file_atomically(save_path, encode_checkpoint(checkpoint));
  };
  // A resumed run starts from a model that may already be the best: it competes too.
  if (resumed && session.dev_count() > 0) session.offer_dev(session.evaluate(Split::dev).accuracy);
  const std::string keep = session.keeps_best() ? "best" : "last";

  // The run's cost as work (engine/model/flops.hpp), which a shared machine's load does not change.
  const double training_flops = training_flops_per_sample(session.model()) * session.train_count() * epochs;
  if (as_json) {
    std::cout << json{{"event", "start"},          {"preset", preset.name}, {"dataset", dataset},
                      {"parameters", session.model().parameter_count()},
                      {"train", session.train_count()}, {"dev", session.dev_count()},
                      {"test", test_set->count},        {"threads", session.threads()},
                      {"batches_per_epoch", session.batches_per_epoch()},
                      {"training_flops_per_sample", training_flops_per_sample(session.model())},
                      {"training_flops", training_flops}}
                     .dump()
              << std::endl;
  } else {
    std::printf("%s: %lld parameters; %d train, %d dev, %d test images; %d thread(s); %.1f TFLOP of training\n",
                preset.name.c_str(), session.model().parameter_count(), session.train_count(), session.dev_count(),
                test_set->count, session.threads(), training_flops * 1e-12);
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
                          {"step", report.step}, {"loss", report.loss}, {"learning_rate", report.learning_rate},
                          {"grad_norm", report.grad_norm}, {"clipped", report.clipped}}
                         .dump()
                  << "\n";
      bar.update(report.epoch + 1, epochs, report.batch + 1, report.batches_per_epoch,
                 static_cast<float>(loss_sum / batches));
    } while (!report.epoch_finished);
    bar.finish();
    const Evaluation train_eval = session.evaluate(Split::train, 0, train_eval_size);
    const Evaluation dev_eval = session.evaluate(Split::dev);
    const bool improved = session.offer_dev(dev_eval.accuracy);
    // After every epoch, atomically: an interrupted run keeps its last finished (or best) epoch.
    if (!session.keeps_best() || improved) save(session.kept_checkpoint());
    const double epoch_seconds = seconds_since(epoch_start);
    if (as_json) {
      std::cout << json{{"event", "epoch"},           {"epoch", report.epoch + 1},
                        {"train", evaluation_json(train_eval)},
                        {"dev", evaluation_json(dev_eval)}, {"best", improved}, {"seconds", epoch_seconds}}
                       .dump()
                << std::endl;
    } else {
      std::printf("epoch %2d/%d  train loss %.4f acc %6.2f%%  dev loss %.4f acc %6.2f%%%s  (%.1f s)\n",
                  report.epoch + 1, epochs, train_eval.loss, 100.0 * train_eval.accuracy, dev_eval.loss,
                  100.0 * dev_eval.accuracy, improved ? " best" : "", epoch_seconds);
      std::fflush(stdout);  // one line per epoch even when piped to a file
    }
  }
  const BestCheckpoint& best = session.best();
  if (best.should_stop() && !as_json)
    std::printf("no better dev accuracy in %d epochs: stopped early\n", best.patience());
  // With keep best the test set measures the epoch the dev split chose, restored from its checkpoint.
  session.restore_kept();
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
                      {"kept", keep},
                      {"kept_epoch", session.kept_epoch()},
                      {"best_epoch", best.has_best() ? json(session.best_epoch()) : json(nullptr)},
                      {"best_dev_accuracy", best.has_best() ? json(session.best_dev_accuracy()) : json(nullptr)},
                      {"last_dev_accuracy", session.last_dev_accuracy()},
                      {"stopped_early", best.should_stop()},
                      {"seconds", seconds}}
                     .dump()
              << std::endl;
  } else {
    print_confusion(test_eval);
    if (best.has_best())
      std::printf("best dev accuracy %.2f%% after epoch %d; the test set measures the %s model\n",
                  100.0 * session.best_dev_accuracy(), session.best_epoch(), keep == "best" ? "best epoch's" : "last epoch's");
    std::printf("test loss %.4f  test accuracy %.2f%%  (%.1f s in all)\n", test_eval.loss, 100.0 * test_eval.accuracy,
                seconds);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(usage().c_str(), args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "train") {
      std::set<std::string> options = {"preset", "model", "threads", "data", "dataset", "log-every", "save", "resume", "train-eval",
                                         "init-onnx"};
      std::set<std::string> flags = {"json", "augment", "no-augment"};
      for (const auto& name : cli_options(train_settings(), false)) options.insert(name);
      for (const auto& name : cli_options(data_settings(), false)) options.insert(name);
      for (const auto& name : cli_options(train_settings(), true)) flags.insert(name);
      const cli::Arguments parsed(args, options, flags);
      return train(parsed);
    }
    if (command == "settings") {
      const bool presets = !args.empty() && args[0] == "--text-presets";
      std::cout << (presets ? describe_text_presets() : describe_settings()).dump(2) << std::endl;
      return 0;
    }
    if (command == "layers") {
      std::cout << describe_layer_types().dump(2) << std::endl;
      return 0;
    }
    if (command == "export" || command == "evaluate" || command == "text-logits") {
      if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(cli::kOnnxUsage, stdout);
        return 0;
      }
      if (command == "text-logits") return cli::run_text_logits_command(args);
      return command == "export" ? cli::run_export_command(args) : cli::run_evaluate_command(args);
    }
    // Not in the usage: a check for tests (the PyTorch project's first steps against Profundo's).
    if (command == "step-loss") return cli::run_step_loss_command(args);
    if (command == "bias-variance") {
      if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(cli::kBiasVarianceUsage, stdout);
        return 0;
      }
      return cli::run_bias_variance_command(args);
    }
    if (command == "text") {
      if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(cli::text_usage().c_str(), stdout);
        return 0;
      }
      return cli::run_text_command(args);
    }
    std::fprintf(stderr, "profundo-cli: unknown command '%s'\n\n%s", command.c_str(), usage().c_str());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "profundo-cli: error: %s\n", error.what());
    return 1;
  }
}
