// profundo-cli export --format pytorch, and step-loss: the check that the PyTorch project takes
// the same steps as Profundo (tests/cli/pytorch.test.mjs feeds both the same batches).
#include "cli/onnx_command.hpp"
#include "interop/notebook.hpp"
#include "interop/pytorch_project.hpp"
#include "io/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace profundo::cli {

int write_pytorch_project(ClassifierSession& session, const std::string& out) {
  const std::vector<ProjectFile> files = pytorch_project(session);
  std::filesystem::create_directories(out);
  std::size_t total = 0;
  for (const ProjectFile& file : files) {
    write_file_atomically((std::filesystem::path(out) / file.path).string(),
                          std::vector<std::uint8_t>(file.content.begin(), file.content.end()));
    total += file.content.size();
  }
  std::printf("wrote %s/ (%zu files, %zu bytes): continue with `python3 %s/train.py --data DIR` or torchrun\n",
              out.c_str(), files.size(), total, out.c_str());
  return 0;
}

int write_notebook(ClassifierSession& session, const Arguments& args, const std::string& out) {
  NotebookRun run;
  run.language = args.text("language", "es");
  run.title = args.text("title", std::filesystem::path(args.text("resume", "model")).stem().string());
  if (args.has("history")) {
    const std::string path = args.text("history", "");
    std::ifstream log(path);
    if (!log) throw std::invalid_argument(path + ": cannot open the history (the `train --json` output)");
    std::string line;
    for (int number = 1; std::getline(log, line); ++number) {
      if (line.empty() || line[0] != '{') continue;
      try {
        const nlohmann::json event = nlohmann::json::parse(line);
        if (event.value("event", "") == "epoch") run.history.push_back(event);
      } catch (const nlohmann::json::exception& error) {
        throw std::invalid_argument(path + ":" + std::to_string(number) + ": not a JSON event (" + error.what() + ")");
      }
    }
  }
  const std::string text = run_notebook(session, run);
  write_file_atomically(out, std::vector<std::uint8_t>(text.begin(), text.end()));
  std::printf("wrote %s (%zu bytes, notebook in %s)\n", out.c_str(), text.size(), run.language.c_str());
  return 0;
}

namespace {

// "3,17,42" -> {3, 17, 42}, each in [0, count).
std::vector<int> parse_indices(const std::string& text, int count) {
  std::vector<int> indices;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    std::size_t used = 0;
    int index = -1;
    try {
      index = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || index < 0 || index >= count)
      throw std::invalid_argument("--batch: '" + item + "' is not an image index in [0, " + std::to_string(count) + ")");
    indices.push_back(index);
  }
  if (indices.size() < 2) throw std::invalid_argument("--batch needs at least two comma-separated image indices");
  return indices;
}

}  // namespace

// Dropout draws its masks from Profundo's generator, which PyTorch does not share: the check runs
// with every dropout's p set to 0 on both sides, so that the losses compare the weights, the
// normalisation, the optimiser state and update rule, L2 and the learning-rate schedule.
int run_step_loss_command(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"resume", "batch", "steps", "data", "dataset", "threads"}, {});
  if (!args.has("resume")) throw std::invalid_argument("step-loss needs --resume RUN.profundo");
  LoadedSession loaded = open_session(args, [](Checkpoint& saved) {
    if (!saved.header.is_object() || !saved.header.contains("model") || !saved.header["model"].contains("layers")) return;
    for (auto& layer : saved.header["model"]["layers"])
      if (layer.value("type", "") == "dropout") layer["p"] = 0.0;
  });
  const std::vector<int> batch = parse_indices(args.text("batch", ""), loaded.train_set->count);
  const int steps = args.integer("steps", 1);
  if (steps < 1 || steps > 100) throw std::invalid_argument("--steps must be between 1 and 100, got " + std::to_string(steps));
  ClassifierSession& session = *loaded.session;
  Tensor x, one_hot;
  fill_batch(*loaded.train_set, batch.data(), static_cast<int>(batch.size()), session.normalization(), x, one_hot);
  nlohmann::json losses = nlohmann::json::array(), rates = nlohmann::json::array();
  for (int step = 0; step < steps; ++step) {
    const StepResult result = session.trainer().step(x, one_hot);
    losses.push_back(result.loss);
    rates.push_back(result.learning_rate);
  }
  // The same batch in eval mode after the steps: batch norm's running statistics, which the steps
  // updated, decide this loss.
  RunContext eval{session.pool(), Mode::eval, nullptr};
  const float eval_loss = session.model().loss().forward(session.model().forward(x, eval), one_hot);
  std::cout << nlohmann::json{{"event", "step-loss"}, {"losses", losses}, {"learning_rates", rates},
                              {"eval_loss", eval_loss}, {"steps", session.trainer().optimizer().steps()}}
                   .dump()
            << std::endl;
  return 0;
}

}  // namespace profundo::cli
