// profundo-cli text --corpus FILE [--cell lstm --layers 1 --hidden 512 --seq 64 --batch 32
//                   --minutes 10 --seed 1] [--save FILE] [--resume FILE] [--sample N ...] [--json]
#include "cli/text_command.hpp"

#include "cli/arguments.hpp"
#include "io/atomic_file.hpp"
#include "text/text_presets.hpp"
#include "text/text_session.hpp"
#include "train/best_checkpoint.hpp"
#include "train/trainer.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <set>
#include <unistd.h>

namespace profundo::cli {

using nlohmann::json;

namespace {
const char* kTextUsage = R"(usage: profundo-cli text [options]

Trains a character-level recurrent language model (truncated BPTT) and reports the train and
validation loss in nats per character and the perplexity e^loss, with a sample now and then.
With --keep best the model of the lowest validation loss is saved, sampled and reported (last: the
model as training left it); --patience N stops after N reports in a row without improvement.

  --preset NAME        one of PRESETS: settings chosen on the validation split
                       for 2 or 10 minutes in the page; its corpus and minutes are the defaults, the
                       options below change it (without one: the best 10 native minutes)
  --corpus FILE        UTF-8 text, at most 16 MB (default public/data/text/shakespeare.txt)
SETTINGS
  --threads N          threads (default: all hardware threads)
  --minutes M          training time budget (default 10)
  --steps N            stop after N steps instead (whichever comes first with --minutes)
  --eval-every N       steps between validation reports (default 200)
  --eval-chars N       validation characters per report, 0 = all (default 0; the final one uses all)
  --sample-every N     steps between samples, 0 = none (default 1000)
  --save FILE          save the kept run (weights, optimiser, state, progress) at every report
                       (with --keep best, whenever the validation loss improves)
  --resume FILE        continue a saved run (its settings; only --keep and --patience may change);
                       needs the same --corpus to train
  --sample N           with --resume: print N generated characters and exit (no corpus needed)
  --temperature T      sampling temperature, 0 = greedy (default 0.8)
  --prime TEXT         priming text for samples (default: start after a line break)
  --json               one JSON object per line instead of text
)";
}  // namespace

std::string text_usage() {
  std::string text = kTextUsage;
  const std::string marker = "SETTINGS\n";
  text.replace(text.find(marker), marker.size(), cli_usage(text_settings()));
  std::string names;
  for (const TextPreset& preset : text_presets()) names += (names.empty() ? "" : ", ") + preset.name;
  const std::string presets = "PRESETS";
  text.replace(text.find(presets), presets.size(), names);
  return text;
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string read_corpus(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file(path, max_corpus_bytes + 1);
  return {bytes.begin(), bytes.end()};
}

// The preset's settings (without one, TextConfig's defaults) with the options given on top.
TextConfig config_over(const Arguments& args, const TextConfig& base) {
  return settings_from_cli(text_settings(), [&](const std::string& option) { return args.setting(option); }, "text",
                           base);
}

TextConfig config_from(const Arguments& args, const TextPreset* preset) {
  return config_over(args, preset ? preset->config : TextConfig{});
}

// A one-line bar on stderr for a time budget; silent when stderr is not a terminal.
void draw_bar(bool enabled, double fraction, long long step, double loss) {
  if (!enabled) return;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(std::min(1.0, fraction) * kWidth);
  std::fprintf(stderr, "\r[");
  for (int i = 0; i < kWidth; ++i) std::fputc(i < filled ? '#' : '.', stderr);
  std::fprintf(stderr, "] %3.0f%% step %lld loss %.4f", 100.0 * std::min(1.0, fraction), step, loss);
  std::fflush(stderr);
}
void clear_bar(bool enabled) {
  if (enabled) std::fputs("\r\033[K", stderr);
}

// The done (or diverged) event's account of the kept model.
void add_best_fields(json& event, const BestCheckpoint& best, const std::string& keep) {
  event["kept"] = keep;
  event["best_validation_loss"] = best.has_best() ? json(best.best_score()) : json(nullptr);
  event["best_step"] = best.has_best() ? json(best.best_step()) : json(nullptr);
  event["stopped_early"] = best.should_stop();
}

void print_best(const BestCheckpoint& best, const std::string& keep) {
  if (!best.has_best()) return;
  std::printf("best validation loss %.4f (ppl %.2f) at step %lld%s\n", best.best_score(), std::exp(best.best_score()),
              best.best_step(), keep == "best" ? ": that model is the one kept" : "");
}

int sample_only(const Arguments& args, TextSession& session, int length) {
  const std::string prime = args.text("prime", "");
  const float temperature = args.number("temperature", 0.8f);
  const auto seed = static_cast<std::uint32_t>(args.integer("seed", 1));
  const std::string text = session.sample(prime, length, temperature, seed);
  if (args.has("json"))
    std::cout << json{{"event", "sample"}, {"prime", prime}, {"text", text}, {"temperature", temperature}}.dump() << std::endl;
  else
    std::cout << prime << text << std::endl;
  return 0;
}

}  // namespace

int run_text_command(const std::vector<std::string>& raw) {
  std::set<std::string> options = {"corpus", "threads", "minutes", "steps", "eval-every", "eval-chars",
                                   "sample-every", "save", "resume", "sample", "temperature", "prime", "preset"};
  std::set<std::string> flags = {"json"};
  for (const auto& name : cli_options(text_settings(), false)) options.insert(name);
  for (const auto& name : cli_options(text_settings(), true)) flags.insert(name);
  const Arguments args(raw, options, flags);
  const bool as_json = args.has("json");
  const int threads = args.integer("threads", ThreadPool::hardware_threads());
  const std::string resume_path = args.text("resume", "");
  const int sample_length = args.integer("sample", -1);
  if (sample_length >= 0 && resume_path.empty())
    throw std::invalid_argument("--sample N needs --resume FILE (a saved model to sample from)");

  std::optional<Checkpoint> resumed;
  if (!resume_path.empty()) {
    const auto bytes = read_file(resume_path, std::size_t{1} << 31);
    resumed = decode_checkpoint(bytes.data(), bytes.size(), resume_path);
  }
  if (resumed && sample_length >= 0) {
    TextSession session(*resumed, resume_path, "", 1);
    return sample_only(args, session, sample_length);
  }

  std::vector<std::string> settings = cli_option_names(text_settings());
  settings.push_back("preset");
  // How a continued run keeps its model may change; what it trains may not.
  if (resumed) refuse_beside_resume(args, settings, {"keep", "patience"}, resume_path);

  const TextPreset* preset = args.has("preset") ? &find_text_preset(args.text("preset", "")) : nullptr;
  const std::string corpus_path = args.text("corpus", "public/data/text/" + (preset ? preset->corpus : "shakespeare") + ".txt");
  const std::string corpus = read_corpus(corpus_path);
  std::unique_ptr<TextSession> owned = resumed ? std::make_unique<TextSession>(*resumed, resume_path, corpus, threads)
                                               : std::make_unique<TextSession>(corpus, config_from(args, preset), threads, corpus_path);
  TextSession& session = *owned;
  if (resumed) {
    const TextConfig continued = config_over(args, session.config());
    session.keep_from_now(continued.keep, continued.patience);
  }
  const TextConfig& config = session.config();
  const TextCorpusStats stats = session.corpus_stats();
  const double minutes = args.number("minutes", preset ? preset->minutes : 10.0f);
  const long long max_steps = args.integer("steps", 0);
  const int eval_every = std::max(1, args.integer("eval-every", 200));
  const int eval_chars = args.integer("eval-chars", 0);
  const int sample_every = args.integer("sample-every", 1000);
  const std::string prime = args.text("prime", "");
  const float temperature = args.number("temperature", 0.8f);
  const std::string save_path = args.text("save", "");
  if (!(minutes > 0)) throw std::invalid_argument("--minutes must be positive");
  if (max_steps < 0) throw std::invalid_argument("--steps must be positive");
  const BestCheckpoint& best = session.best();
  const std::string& keep = config.keep;

  if (as_json) {
    std::cout << json{{"event", "start"},
                      {"corpus", corpus_path},
                      {"bytes", stats.bytes},
                      {"characters", stats.characters},
                      {"vocabulary_size", stats.vocabulary_size},
                      {"train", stats.train_characters},
                      {"validation", stats.validation_characters},
                      {"parameters", session.model().parameter_count()},
                      {"threads", session.threads()},
                      {"config", to_json(config)}}
                     .dump()
              << std::endl;
  } else {
    std::printf("%s: %d characters (%d bytes), vocabulary %d; %d train, %d validation\n", corpus_path.c_str(),
                stats.characters, stats.bytes, stats.vocabulary_size, stats.train_characters,
                stats.validation_characters);
    std::printf("%d-layer %s, %d units, embedding %d; %lld parameters; T %d, N %d, %s lr %g, clip %g; %d thread(s)\n",
                config.layers, config.cell.c_str(), config.hidden_size, config.embedding_size,
                session.model().parameter_count(), config.seq_length, config.batch_size, config.optimizer.kind.c_str(),
                static_cast<double>(config.optimizer.learning_rate), static_cast<double>(config.clip_norm),
                session.threads());
    std::fflush(stdout);
  }

  const bool bar = !as_json && isatty(fileno(stderr));
  const auto start = Clock::now();
  const double budget = minutes * 60.0;
  const long long first_step = session.steps();
  double loss_sum = 0.0;
  int loss_count = 0;
  double train_seconds = 0.0;
  TextTrainReport report;
  const auto save = [&](const Checkpoint& checkpoint) {
    if (!save_path.empty()) write_file_atomically(save_path, encode_checkpoint(checkpoint));
  };
  // Evaluates the model as training left it (the session keeps it when it is the best so far) and
  // saves the kept model. Throws TrainingDiverged on a NaN or infinite validation loss.
  const auto report_progress = [&](bool final_report) {
    const TextEvaluation evaluation = session.evaluate(final_report ? 0 : eval_chars);
    const double validation = evaluation.validation_loss;
    const double train_loss = loss_count > 0 ? loss_sum / loss_count : report.loss;
    const double seconds = seconds_since(start);
    // Training characters per second of training time (validation and samples excluded).
    const double rate = static_cast<double>(session.steps() - first_step) * config.seq_length * config.batch_size /
                        std::max(train_seconds, 1e-9);
    clear_bar(bar);
    if (as_json) {
      json event{{"event", final_report ? "done" : "progress"},
                 {"step", session.steps()},
                 {"epoch", report.epoch},
                 {"train_loss", train_loss},
                 {"train_perplexity", std::exp(train_loss)},
                 {"validation_loss", validation},
                 {"validation_perplexity", std::exp(validation)},
                 {"best", evaluation.improved},
                 {"clipped_fraction", report.clipped_fraction},
                 {"grad_norm", report.grad_norm},
                 {"learning_rate", report.learning_rate},
                 {"characters_per_second", rate},
                 {"seconds", seconds}};
      if (final_report) add_best_fields(event, best, keep);
      std::cout << event.dump() << std::endl;
    } else {
      std::printf("%sstep %6lld  epoch %d  train %.4f (ppl %.2f)  validation %.4f (ppl %.2f)%s  clipped %.1f%%  "
                  "%.0f chars/s  %.0f s\n",
                  final_report ? "done: " : "", session.steps(), report.epoch, train_loss, std::exp(train_loss),
                  validation, std::exp(validation), evaluation.improved ? " best" : "", 100.0 * report.clipped_fraction,
                  rate, seconds);
      if (final_report) print_best(best, keep);
      std::fflush(stdout);
    }
    loss_sum = 0.0;
    loss_count = 0;
    if (!best.keeps_best() || evaluation.improved) save(session.kept_checkpoint());
    return evaluation;
  };
  // Samples from the kept model: with keep best, the best one so far.
  const auto print_sample = [&] {
    std::string text;
    if (best.keeps_best()) session.sample_best_into(text, prime, 200, temperature, config.seed);
    else session.sample_into(text, prime, 200, temperature, config.seed);
    const long long step = best.keeps_best() ? session.best_model_step() : session.steps();
    clear_bar(bar);
    if (as_json)
      std::cout << json{{"event", "sample"}, {"step", step}, {"prime", prime}, {"text", text}}.dump() << std::endl;
    else
      std::printf("---- sample at step %lld (temperature %g) ----\n%s%s\n----\n", step,
                  static_cast<double>(temperature), prime.c_str(), text.c_str());
    std::fflush(stdout);
  };

  const auto stop_diverged = [&](const std::string& message) {
    clear_bar(bar);
    if (as_json) {
      json event{{"event", "diverged"}, {"step", session.steps()}, {"message", message}};
      add_best_fields(event, best, keep);
      std::cout << event.dump() << std::endl;
    } else {
      std::printf("stopped: %s\n", message.c_str());
      print_best(best, keep);
    }
    if (best.has_best()) print_sample();
    return 1;
  };
  bool stopped_early = false;
  try {
    // A resumed run starts from a model that may already be the best: it competes too.
    if (resumed) session.evaluate(0);
    while (seconds_since(start) < budget && (max_steps == 0 || session.steps() - first_step < max_steps)) {
      const auto step_start = Clock::now();
      report = session.train_steps(1);
      train_seconds += seconds_since(step_start);
      loss_sum += report.loss;
      ++loss_count;
      const long long step = session.steps();
      draw_bar(bar, max_steps > 0 ? std::max(seconds_since(start) / budget, double(step - first_step) / max_steps)
                                  : seconds_since(start) / budget,
               step, report.loss);
      if (step % eval_every == 0 && report_progress(false).should_stop) {
        stopped_early = true;
        break;
      }
      if (sample_every > 0 && step % sample_every == 0) print_sample();
    }
    if (session.steps() == first_step) report = session.train_steps(1);  // at least one step
    if (stopped_early && !as_json)
      std::printf("no improvement in %d validation reports: stopped early\n", best.patience());
    report_progress(true);
  } catch (const TrainingDiverged& diverged) {
    return stop_diverged(diverged.what());
  }
  print_sample();
  return 0;
}

}  // namespace profundo::cli
