#include "cli/onnx_command.hpp"

#include "cli/arguments.hpp"
#include "cli/image_sets.hpp"
#include "interop/onnx_proto.hpp"
#include "io/atomic_file.hpp"
#include "interop/onnx_session.hpp"
#include "layers/softmax.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace profundo::cli {

const char* kOnnxUsage = R"(usage: profundo-cli export (--resume RUN.profundo | --onnx MODEL.onnx) --format onnx --out OUT.onnx
       profundo-cli export --resume RUN.profundo --format pytorch --out DIR
       profundo-cli export --resume RUN.profundo --format ipynb --out RUN.ipynb [--language es|en] [--history LOG]
       profundo-cli evaluate (--onnx MODEL.onnx | --resume RUN.profundo) [options]
       profundo-cli text-logits --resume TEXT_RUN.profundo --prefix TEXT

export writes the saved classifier (or an imported one, again) as an ONNX model (opset 13): input
[N, C, H, W] of normalised pixels, outputs `logits` and `probabilities`; the metadata holds the
normalisation, the class names and the dataset. A saved text run (profundo-cli text --save) exports
as a character model: input `tokens` [T, N], outputs `logits` and `probabilities` [T, N, V] and the
final recurrent states; the metadata holds the vocabulary. evaluate reports the test loss and
accuracy of an ONNX image classifier (or a saved run). Both read the dataset, as a resumed run does
(a text run needs none). text-logits prints, as one JSON object, the text model's token indices,
logits and probabilities at every character of TEXT, from a zero state (what the ONNX file computes).

  --dataset NAME   mnist or fashion-mnist (default: the saved run's or the ONNX file's, else mnist)
  --data DIR       folder with the four IDX files (default public/data/DATASET)
  --dev-size N     with --onnx: images of the training set kept for the dev split (default 5000)
  --outputs N      also print the model's outputs (logits) for the first N test images
  --threads N      threads (default: all hardware threads)
  --json           one JSON object per line

--format pytorch writes DIR/ as a PyTorch project that continues the run (model.py, data.py, optim.py,
train.py with DistributedDataParallel, run.json, state.bin + state.json; see DIR/README.md).
--format ipynb writes the hand-in notebook: settings, model, curves, final metrics, confusion matrix and
mistakes, then the PyTorch code that re-runs the experiment.
  --language L     es (default) or en
  --history LOG    the `train --json` output of the run (its epoch lines are the curves)
  --title TEXT     the notebook's title (default: the file name of --resume)
)";

namespace {

constexpr std::size_t kMaxSavedRun = std::size_t{1} << 31;

std::string dataset_argument(const Arguments& args, const std::string& fallback) {
  const std::string dataset = args.text("dataset", fallback);
  if (dataset != "mnist" && dataset != "fashion-mnist")
    throw std::invalid_argument("--dataset must be mnist or fashion-mnist, got '" + dataset + "'");
  return dataset;
}

Checkpoint read_checkpoint(const std::string& path) {
  const auto bytes = read_file(path, kMaxSavedRun);
  return decode_checkpoint(bytes.data(), bytes.size(), path);
}

bool is_text_run(const Checkpoint& saved) {
  return saved.header.is_object() && saved.header.value("kind", std::string()) == "profundo-text";
}

}  // namespace

LoadedSession open_session(const Arguments& args, const std::function<void(Checkpoint&)>& adjust) {
  LoadedSession loaded;
  const int threads = args.integer("threads", ThreadPool::hardware_threads());
  if (args.has("resume") == args.has("onnx")) throw std::invalid_argument("give one of --resume FILE or --onnx FILE");
  if (args.has("resume")) {
    const std::string path = args.text("resume", "");
    Checkpoint saved = read_checkpoint(path);
    if (adjust) adjust(saved);
    const std::string trained_on = saved.header.is_object() ? saved.header.value("dataset", std::string("mnist")) : "mnist";
    loaded.dataset = dataset_argument(args, trained_on.substr(0, trained_on.rfind("-train")));
    const std::string dir = args.text("data", "public/data/" + loaded.dataset);
    const auto train_set = loaded.train_set = load_set(dir, "train", loaded.dataset + "-train");
    loaded.test_set = load_set(dir, "t10k", loaded.dataset + "-test");
    loaded.session = std::make_unique<ClassifierSession>(saved, path, train_set, loaded.test_set, threads);
  } else {
    const std::string path = args.text("onnx", "");
    const auto bytes = read_file(path, onnx::max_file_bytes);
    const ImportedClassifier imported = import_onnx(bytes.data(), bytes.size(), path);
    loaded.dataset = dataset_argument(args, dataset_of(imported));
    const std::string dir = args.text("data", "public/data/" + loaded.dataset);
    const auto train_set = loaded.train_set = load_set(dir, "train", loaded.dataset + "-train");
    loaded.test_set = load_set(dir, "t10k", loaded.dataset + "-test");
    DataConfig data;
    data.dev_size = args.integer("dev-size", data.dev_size);
    loaded.session = classifier_session_from_onnx(imported, train_set, loaded.test_set, threads, data);
  }
  return loaded;
}

ImportedClassifier read_onnx_file(const std::string& path) {
  const auto bytes = read_file(path, onnx::max_file_bytes);
  return import_onnx(bytes.data(), bytes.size(), path);
}

int run_export_command(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"resume", "onnx", "format", "out", "data", "dataset", "threads", "dev-size", "language", "history", "title"}, {});
  const std::string format = args.text("format", "");
  if (format != "onnx" && format != "pytorch" && format != "ipynb")
    throw std::invalid_argument("export needs --format onnx, pytorch or ipynb, got '" + format + "'");
  const std::string out = args.text("out", "");
  if (out.empty()) throw std::invalid_argument(format == "onnx" ? "export needs --out FILE" : "export needs --out DIR");
  if (format == "onnx" && args.has("resume") && !args.has("onnx")) {
    const std::string path = args.text("resume", "");
    const Checkpoint saved = read_checkpoint(path);
    if (is_text_run(saved)) {
      TextSession session(saved, path, "", 1);
      const auto bytes = export_session_onnx(session);
      write_file_atomically(out, bytes);
      std::printf("wrote %s (%zu bytes, %lld parameters, a character model)\n", out.c_str(), bytes.size(),
                  session.model().parameter_count());
      return 0;
    }
  }
  LoadedSession loaded = open_session(args);
  if (format == "pytorch") return write_pytorch_project(*loaded.session, out);
  if (format == "ipynb") return write_notebook(*loaded.session, args, out);
  const auto bytes = export_session_onnx(*loaded.session);
  write_file_atomically(out, bytes);
  std::printf("wrote %s (%zu bytes, %lld parameters)\n", out.c_str(), bytes.size(),
              loaded.session->model().parameter_count());
  return 0;
}

int run_text_logits_command(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"resume", "prefix"}, {});
  const std::string path = args.text("resume", "");
  const std::string prefix = args.text("prefix", "");
  if (path.empty() || prefix.empty()) throw std::invalid_argument("text-logits needs --resume TEXT_RUN and --prefix TEXT");
  const Checkpoint saved = read_checkpoint(path);
  if (!is_text_run(saved)) throw std::invalid_argument(path + ": not a saved text run (profundo-cli text --save)");
  TextSession session(saved, path, "", 1);
  const std::vector<int> tokens = session.vocabulary().encode(prefix, "--prefix");
  const int steps = static_cast<int>(tokens.size()), classes = session.vocabulary().size();
  Tensor x({steps, 1});
  for (int t = 0; t < steps; ++t) x[static_cast<std::size_t>(t)] = static_cast<float>(tokens[static_cast<std::size_t>(t)]);
  ThreadPool pool(1);
  RunContext context{pool, Mode::eval, nullptr};
  session.model().reset_state(1);
  const Tensor& logits = session.model().forward(x, context);  // [T, 1, V]
  Tensor probabilities({steps, classes});
  softmax_rows(logits.matrix(), probabilities.matrix());  // rows: the T steps
  nlohmann::json rows_logits = nlohmann::json::array(), rows_probabilities = nlohmann::json::array();
  for (int t = 0; t < steps; ++t) {
    const std::size_t at = static_cast<std::size_t>(t) * classes;
    rows_logits.push_back(std::vector<float>(logits.data() + at, logits.data() + at + classes));
    rows_probabilities.push_back(std::vector<float>(probabilities.data() + at, probabilities.data() + at + classes));
  }
  std::cout << nlohmann::json{{"event", "text_logits"}, {"tokens", tokens}, {"logits", rows_logits},
                              {"probabilities", rows_probabilities}}
                   .dump()
            << std::endl;
  return 0;
}

int run_evaluate_command(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"resume", "onnx", "data", "dataset", "threads", "outputs", "dev-size"}, {"json"});
  LoadedSession loaded = open_session(args);
  ClassifierSession& session = *loaded.session;
  const Evaluation test = session.evaluate(Split::test);
  const bool as_json = args.has("json");
  if (as_json)
    std::cout << nlohmann::json{{"event", "evaluation"}, {"dataset", loaded.dataset}, {"test_loss", test.loss},
                                {"test_accuracy", test.accuracy}, {"parameters", session.model().parameter_count()}}
                     .dump()
              << std::endl;
  else
    std::printf("%s test: loss %.4f accuracy %.2f%% (%lld parameters)\n", loaded.dataset.c_str(), test.loss,
                100.0 * test.accuracy, session.model().parameter_count());
  const int outputs = args.integer("outputs", 0);
  if (outputs < 0 || outputs > loaded.test_set->count)
    throw std::invalid_argument("--outputs must be between 0 and " + std::to_string(loaded.test_set->count));
  if (outputs > 0) {
    std::vector<int> indices(static_cast<std::size_t>(outputs));
    for (int i = 0; i < outputs; ++i) indices[static_cast<std::size_t>(i)] = i;
    Tensor x, one_hot;
    fill_batch(*loaded.test_set, indices.data(), outputs, session.normalization(), x, one_hot);
    RunContext context{session.pool(), Mode::eval, nullptr};
    const Tensor& y = session.model().forward(x, context);
    const int width = static_cast<int>(y.size()) / outputs;
    nlohmann::json rows = nlohmann::json::array();
    for (int i = 0; i < outputs; ++i)
      rows.push_back(std::vector<float>(y.data() + static_cast<std::size_t>(i) * width, y.data() + static_cast<std::size_t>(i + 1) * width));
    std::cout << nlohmann::json{{"event", "outputs"}, {"outputs", rows}}.dump() << std::endl;
  }
  return 0;
}

}  // namespace profundo::cli
