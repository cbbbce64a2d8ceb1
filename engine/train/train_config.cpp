#include "train/train_config.hpp"

namespace profundo {

const Settings<TrainConfig>& train_settings() {
  using C = TrainConfig;
  static const Settings<C> table = concat<C>({
      nested("optimizer", &C::optimizer, optimizer_settings()),
      nested("schedule", &C::schedule, schedule_settings()),
      in_group<C>("training", {
          field("batch_size", &C::batch_size).at_least(1).unit("images").url({"batch", "batchSize", "bs"}).cli("batch-size").label("train.batchSize"),
          field("epochs", &C::epochs).at_least(1).url({"epochs"}).cli("epochs").label("train.epochs"),
          field("seed", &C::seed).url({"seed"}).cli("seed").label("train.seed"),
          field("keep", &C::keep).choices({"best", "last"}).url({"keep"}).cli("keep").label("train.keep"),
          field("patience", &C::patience).at_least(0).unit("epochs").url({"patience"}).cli("patience").label("train.patience"),
      }),
      in_group<C>("regularization", {
          field("l2", &C::l2).at_least(0).url({"l2", "lambda"}).cli("l2").label("hyper.l2"),
          field("l2_decoupled", &C::l2_decoupled).url({"l2decoupled"}).cli("l2-decoupled").label("hyper.l2Decoupled"),
          field("clip_norm", &C::clip_norm).at_least(0).url({"clip"}).cli("clip").label("hyper.clipNorm"),
      }),
  });
  return table;
}

void validate(const TrainConfig& config) { validate_settings(train_settings(), config, "training"); }

}  // namespace profundo
