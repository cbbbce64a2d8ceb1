#include "data/data_config.hpp"

namespace profundo {

const Settings<DataConfig>& data_settings() {
  using C = DataConfig;
  static const Settings<C> table = concat<C>({
      in_group<C>("data", {
          // The upper end depends on the dataset: ClassifierSession checks it against the training set.
          field("dev_size", &C::dev_size).at_least(0).unit("images").url({"dev", "devSize"}).cli("dev-size").label("data.devSize"),
          field("normalization", &C::normalization).choices({"none", "scale", "standardize"}).url({"norm", "normalization"}).cli("normalization").label("data.normalization"),
      }),
      nested("augment", &C::augment, augment_settings()),
  });
  return table;
}

void validate(const DataConfig& config) { validate_settings(data_settings(), config, "data"); }

}  // namespace profundo
