// The settings registry: every field of every table is read, written and checked from its row.
// The range tests walk the registry itself (describe()), so a new field is tested at its edges
// without a new line here.
#include "data/data_config.hpp"
#include "settings/registry.hpp"
#include "text/text_config.hpp"
#include "train/config_json.hpp"
#include "train/train_config.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <map>
#include <optional>
#include <string>

using namespace profundo;
using nlohmann::json;

namespace {

// {"optimizer": {"beta2": value}} for path "optimizer.beta2".
json with_field(const std::string& path, const json& value) {
  json object = json::object();
  settings_detail::put(object, path, value);
  return object;
}

// The error message of reading `object`, or "" when it is accepted.
template <typename Config>
std::string problem(const Settings<Config>& table, const json& object, const std::string& root) {
  try {
    settings_from_json(table, object, root);
    return "";
  } catch (const SettingError& error) {
    return error.what();
  }
}

// Every numeric field at its ends, just inside and just outside; every choice; every flag.
template <typename Config>
void check_every_edge(const Settings<Config>& table, const std::string& root) {
  for (const json& row : describe(table)) {
    const std::string path = row["path"], where = root + "." + path, type = row["type"];
    INFO(where);
    const auto accepted = [&](const json& value) { CHECK(problem(table, with_field(path, value), root) == ""); };
    const auto refused = [&](const json& value, const std::string& expected) {
      const std::string message = problem(table, with_field(path, value), root);
      CHECK_THAT(message, Catch::StartsWith(where) && Catch::Contains(expected));
    };
    if (type == "enum") {
      for (const json& choice : row["choices"]) accepted(choice);
      refused("no-such-choice", "must be one of " + row["choices"][0].get<std::string>());
      refused(1, "expected one of");
      continue;
    }
    if (type == "bool") {
      accepted(true);
      accepted(false);
      refused(1, "expected true or false");
      continue;
    }
    const bool integer = type != "float";
    const double step = integer ? 1.0 : 1e-3;
    if (integer) refused(1.5, "expected an integer");
    refused("1", integer ? "expected an integer" : "expected a number");
    for (const char* end : {"min", "max"}) {
      const json& bound = row[end];
      const double sign = std::string(end) == "min" ? -1.0 : 1.0;  // outside is below min, above max
      if (bound.is_null()) {
        // Unbounded floats stop at what a float holds.
        if (sign > 0) {
          accepted(1e30);
          refused(1e39, "must be in");
        }
        continue;
      }
      const double value = bound["value"];
      const auto as_json = [&](double v) { return integer ? json(static_cast<std::int64_t>(v)) : json(v); };
      if (bound["inclusive"]) {
        accepted(as_json(value));
        refused(as_json(value + sign * step), "must be in");
      } else {
        refused(as_json(value), "must be in");
        accepted(as_json(value - sign * step));
      }
    }
  }
}

}  // namespace

TEST_CASE("every setting is accepted at its range's ends and refused just outside, naming its path", "[settings]") {
  check_every_edge(train_settings(), "training");
  check_every_edge(data_settings(), "data");
  check_every_edge(text_settings(), "text");
}

TEST_CASE("an out-of-range setting names its path, its range and the value, in words and as data", "[settings]") {
  try {
    train_config_from_json(with_field("optimizer.beta2", 1.5));
    FAIL("accepted beta2 = 1.5");
  } catch (const SettingError& error) {
    CHECK(std::string(error.what()) == "training.optimizer.beta2 must be in [0, 1), got 1.5");
    const json details = error.details();
    CHECK(details["code"] == "out_of_range");
    CHECK(details["path"] == "training.optimizer.beta2");
    CHECK(details["expected"]["min"] == json{{"value", 0.0}, {"inclusive", true}});
    CHECK(details["expected"]["max"] == json{{"value", 1.0}, {"inclusive", false}});
    CHECK(details["value"] == 1.5);
  }
  CHECK_THROWS_WITH(data_config_from_json(with_field("augment.max_rotation", 181)),
                    "data.augment.max_rotation must be in [0, 180], got 181");
  CHECK_THROWS_WITH(text_config_from_json(with_field("seq_length", 0)), "text.seq_length must be in [1, 1000], got 0");
}

TEST_CASE("unknown fields and wrong types are refused with the field's path", "[settings]") {
  CHECK_THROWS_WITH(train_config_from_json({{"optimizer", {{"beta3", 0.5}}}}),
                    Catch::StartsWith("training.optimizer: unknown field 'beta3' (known: ") && Catch::Contains("beta2"));
  CHECK_THROWS_WITH(train_config_from_json({{"epoch", 3}}), Catch::StartsWith("training: unknown field 'epoch'"));
  CHECK_THROWS_WITH(train_config_from_json({{"optimizer", 3}}), "training.optimizer: expected an object, got 3");
  CHECK_THROWS_WITH(train_config_from_json({{"epochs", 2.5}}), "training.epochs: expected an integer, got 2.5");
  CHECK_THROWS_WITH(train_config_from_json({{"seed", -1}}), "training.seed must be in [0, 4294967295], got -1");
  CHECK_THROWS_WITH(train_config_from_json(json::array()), "training: expected an object, got []");
  CHECK_THROWS_WITH(data_config_from_json({{"normalization", "zscore"}}),
                    "data.normalization must be one of none, scale, standardize, got 'zscore'");
  try {
    text_config_from_json({{"optimizer", {{"kind", "adagrad"}}}});
    FAIL("accepted adagrad");
  } catch (const SettingError& error) {
    CHECK(error.details()["code"] == "unknown_choice");
    CHECK(error.details()["expected"] == json{"sgd", "momentum", "rmsprop", "adam"});
  }
}

TEST_CASE("a struct built in code is validated by the same rows", "[settings]") {
  TrainConfig training;
  training.optimizer.learning_rate = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(validate(training), "training.optimizer.learning_rate must be in (0, inf), got nan");
  training = {};
  training.clip_norm = -1;
  CHECK_THROWS_WITH(validate(training), "training.clip_norm must be in [0, inf), got -1");
  TextConfig text;
  text.layers = 8;
  text.hidden_size = 4096;  // each field in range, the model too big: the rule across fields stays code
  CHECK_THROWS_WITH(validate(text), Catch::Contains("would have more than"));
}

TEST_CASE("the JSON writer writes every row, floats as their short decimals, and reads back the same", "[settings]") {
  TrainConfig training;
  training.optimizer = {"momentum", 0.001f, 0.95f, 0.8f, 0.99f, 1e-7f};
  training.schedule = {"step", 2.0f, 50.0f, 0.7f, 300};
  training.batch_size = 17;
  training.epochs = 4;
  training.l2 = 3e-4f;
  training.seed = 4000000000u;
  training.clip_norm = 2.5f;
  const json written = to_json(training);
  // float32 0.001 is 0.001000000047497451: written as the decimal it was set from.
  CHECK(written["optimizer"]["learning_rate"].dump() == "0.001");
  CHECK(written["optimizer"]["epsilon"].dump() == "1e-07");
  CHECK(written["l2"].dump() == "0.0003");
  CHECK(written["schedule"]["gamma"].dump() == "0.7");
  CHECK(written["optimizer"]["kind"] == "momentum");
  CHECK(written["schedule"]["step_size"] == 300);
  CHECK(written["seed"].dump() == "4000000000");
  CHECK(to_json(train_config_from_json(written)) == written);
  for (const auto& row : train_settings()) CHECK(settings_detail::find(written, row.info.path) != nullptr);

  DataConfig data;
  data.dev_size = 10;
  data.normalization = "standardize";
  data.augment = default_digit_augmentation();
  CHECK(to_json(data_config_from_json(to_json(data))) == to_json(data));
  TextConfig text;
  text.cell = "gru";
  text.dropout = 0.25f;
  CHECK(to_json(text_config_from_json(to_json(text))) == to_json(text));
}

TEST_CASE("describe_settings gives each row's defaults from its own struct", "[settings]") {
  const json registry = describe_settings();
  const auto row = [&](const std::string& table, const std::string& path) {
    for (const json& r : registry[table])
      if (r["path"] == path) return r;
    FAIL("no row " << table << "." << path);
    return json();
  };
  CHECK(row("training", "optimizer.learning_rate")["default"] == 0.001);
  CHECK(row("text", "optimizer.learning_rate")["default"] == 0.003);  // TextConfig's own optimiser default
  CHECK(row("training", "optimizer.beta2")["url_keys"] == json{"beta2"});
  CHECK(row("training", "optimizer.beta2")["label"] == "hyper.beta2");
  CHECK(row("training", "seed")["type"] == "uint32");
  CHECK(row("training", "seed")["max"]["value"] == 4294967295.0);
  CHECK(row("data", "augment.max_shift")["unit"] == "px");
  CHECK(row("data", "augment.max_shift")["group"] == "augmentation");
  CHECK(registry["training"].size() == train_settings().size());
}

TEST_CASE("CLI options are read through the registry with the reader's checks", "[settings][cli]") {
  const std::map<std::string, std::string> given = {{"lr", "0.01"}, {"optimizer", "sgd"}, {"step-size", "20"}};
  const auto value_of = [&](const std::string& option) -> std::optional<std::string> {
    const auto it = given.find(option);
    return it == given.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  const TrainConfig c = settings_from_cli(train_settings(), value_of, "training", TrainConfig{});
  CHECK(c.optimizer.learning_rate == 0.01f);
  CHECK(c.optimizer.kind == "sgd");
  CHECK(c.schedule.step_size == 20);
  CHECK(c.epochs == TrainConfig{}.epochs);
  const auto bad = [](const std::string& option) -> std::optional<std::string> {
    if (option == "lr") return "abc";
    return std::nullopt;
  };
  CHECK_THROWS_WITH(settings_from_cli(train_settings(), bad, "training", TrainConfig{}), "--lr: expected float, got 'abc'");
  CHECK_THAT(cli_usage(train_settings()), Catch::Contains("--beta2 X") && Catch::Contains("optimizer.beta2 in [0, 1) (default 0.999)"));
}
