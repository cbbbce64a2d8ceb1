#include "settings/registry.hpp"

#include "data/data_config.hpp"
#include "text/text_config.hpp"
#include "train/train_config.hpp"

namespace profundo {

nlohmann::json describe_settings() {
  return {{"training", describe(train_settings())}, {"data", describe(data_settings())}, {"text", describe(text_settings())}};
}

}  // namespace profundo
