#include "cli/bias_variance_command.hpp"

#include "cli/arguments.hpp"
#include "cli/image_sets.hpp"
#include "core/thread_pool.hpp"
#include "labs/bias_variance_lab.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <stdexcept>

namespace profundo::cli {

const char* kBiasVarianceUsage = R"(usage: profundo-cli bias-variance [--row KEY] [options]

Runs one experiment of the bias/variance lab as the page runs it: the lab's settings declared in
web/src/labs/defaults.json ("biasVariance") with one recipe row's changes, on a seeded subset of the
MNIST training images split into train and dev (the test images are never read). Prints one JSON
object: the experiment, the train and dev errors (fractions) and losses, parameters and seconds.

  --lab FILE           the labs' defaults (default web/src/labs/defaults.json)
  --row KEY            a recipe row, e.g. labs.bv.recipe.l2 (default: the lab's opening settings)
  --train-size N       replace the row's training-set size
  --dev-size N         replace the lab's dev-set size
  --epochs N           replace the row's epochs
  --l2 X               replace the row's L2 lambda
  --seed N             replace the lab's seed (the subset, the weights and the batches)
  --threads N          threads (default: all hardware threads)
  --data DIR           folder with the MNIST training IDX files, .gz or not (default public/data/mnist)
)";

int run_bias_variance_command(const std::vector<std::string>& args) {
  const Arguments parsed(args, {"lab", "row", "train-size", "dev-size", "epochs", "l2", "seed", "threads", "data"}, {});
  const std::string lab_path = parsed.text("lab", "web/src/labs/defaults.json");
  std::ifstream lab_file(lab_path);
  if (!lab_file) throw std::runtime_error(lab_path + ": cannot open (pass --lab FILE)");
  const nlohmann::json labs = nlohmann::json::parse(lab_file);
  if (!labs.contains("biasVariance")) throw std::invalid_argument(lab_path + ": no \"biasVariance\" lab");
  const std::string row = parsed.text("row", "");
  BiasVarianceExperiment experiment = lab_bias_variance_experiment(labs["biasVariance"], row);
  experiment.train_size = parsed.integer("train-size", experiment.train_size);
  experiment.dev_size = parsed.integer("dev-size", experiment.dev_size);
  experiment.epochs = parsed.integer("epochs", experiment.epochs);
  experiment.l2 = parsed.number("l2", experiment.l2);
  const int seed = parsed.integer("seed", static_cast<int>(experiment.seed));
  if (seed < 0) throw std::invalid_argument("--seed must be at least 0, got " + std::to_string(seed));
  experiment.seed = static_cast<std::uint32_t>(seed);
  const int threads = parsed.integer("threads", ThreadPool::hardware_threads());

  // Only the training images: the experiment splits its train and dev sets from them.
  const auto training_images = load_set(parsed.text("data", "public/data/mnist"), "train", "mnist-train");
  const BiasVarianceResult result = run_bias_variance_experiment(*training_images, experiment, threads);
  const nlohmann::json described = {{"train_size", experiment.train_size}, {"dev_size", experiment.dev_size},
                                    {"hidden", experiment.hidden},         {"l2", experiment.l2},
                                    {"l2_decoupled", experiment.l2_decoupled}, {"normalization", experiment.normalization},
                                    {"dropout", experiment.dropout},       {"augment", experiment.augment},
                                    {"epochs", experiment.epochs},         {"learning_rate", experiment.learning_rate},
                                    {"seed", experiment.seed}};
  std::cout << nlohmann::json{{"row", row},
                              {"experiment", described},
                              {"train_error", result.train_error},
                              {"dev_error", result.dev_error},
                              {"train_loss", result.train_loss},
                              {"dev_loss", result.dev_loss},
                              {"parameters", result.parameters},
                              {"seconds", result.seconds}}
                   .dump()
            << std::endl;
  return 0;
}

}  // namespace profundo::cli
