#include "text/text_config.hpp"

#include "model/model_limits.hpp"
#include "model/model_spec.hpp"

#include <stdexcept>

namespace profundo {

using nlohmann::json;

const Settings<TextConfig>& text_settings() {
  using C = TextConfig;
  static const Settings<C> table = concat<C>({
      in_group<C>("network", {
          field("cell", &C::cell).choices({"rnn", "gru", "lstm"}).url({"cell"}).cli("cell").label("text.cell"),
          field("layers", &C::layers).at_least(1).at_most(8).url({"layers"}).cli("layers").label("text.layers"),
          field("hidden_size", &C::hidden_size).at_least(1).at_most(4096).unit("units").url({"hidden"}).cli("hidden").label("text.hidden"),
          field("embedding_size", &C::embedding_size).at_least(1).at_most(4096).url({"embedding"}).cli("embedding").label("text.embedding"),
          field("dropout", &C::dropout).at_least(0).below(1).url({"dropout"}).cli("dropout").label("text.dropout"),
          field("dropout_embedding", &C::dropout_embedding).url({"dropEmb"}).cli("dropout-embedding").label("text.dropoutEmbedding"),
          field("dropout_head", &C::dropout_head).url({"dropHead"}).cli("dropout-head").label("text.dropoutHead"),
      }),
      in_group<C>("training", {
          field("seq_length", &C::seq_length).at_least(1).at_most(1000).unit("characters").url({"seq"}).cli("seq").label("text.seqLength"),
          field("batch_size", &C::batch_size).at_least(1).at_most(1024).unit("streams").url({"batch"}).cli("batch").label("text.batch"),
          field("seed", &C::seed).url({"seed"}).cli("seed").label("text.seed"),
          field("keep", &C::keep).choices({"best", "last"}).url({"keep"}).cli("keep").label("text.keep"),
          field("patience", &C::patience).at_least(0).unit("reports").url({"patience"}).cli("patience").label("text.patience"),
      }),
      nested("optimizer", &C::optimizer, optimizer_settings()),
      nested("schedule", &C::schedule, schedule_settings()),
      in_group<C>("regularization", {
          field("l2", &C::l2).at_least(0).url({"l2", "lambda"}).cli("l2").label("hyper.l2"),
          field("clip_norm", &C::clip_norm).at_least(0).url({"clip"}).cli("clip").label("text.clip"),
      }),
      in_group<C>("data", {
          field("validation_fraction", &C::validation_fraction).at_least(0.01).at_most(0.5).url({"validation"}).cli("validation").label("text.validation"),
      }),
  });
  return table;
}

void validate(const TextConfig& c) {
  validate_settings(text_settings(), c, "text");
  // Recurrent weights grow as hidden²: 8 LSTM layers of 4096 would need 4 GB. The same limit as
  // for image models, checked before anything is allocated (vocabulary-sized parts are small).
  const long long gates = recurrent_gate_count(c.cell);
  const long long h = c.hidden_size;
  const long long recurrent = gates * h * (c.embedding_size + h) + (c.layers - 1) * gates * h * (2 * h);
  if (recurrent > max_model_parameters)
    throw std::invalid_argument("text: " + std::to_string(c.layers) + " " + c.cell + " layers of " +
                                std::to_string(c.hidden_size) + " units would have more than " +
                                std::to_string(max_model_parameters) + " parameters; use fewer or smaller layers");
}

json to_json(const TextConfig& c) { return settings_to_json(text_settings(), c); }

TextConfig text_config_from_json(const json& object) {
  TextConfig c = settings_from_json(text_settings(), object, "text");
  validate(c);  // the model-size rule
  return c;
}

}  // namespace profundo
