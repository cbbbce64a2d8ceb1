// Command-line options that `train` and `text` share because one Trainer runs both: the learning-rate
// schedule, L2 and clipping, read the same way and described by the same help lines.
#pragma once

#include "cli/arguments.hpp"
#include "optim/schedule.hpp"

namespace profundo::cli {

inline const char* const kScheduleOptionsUsage =
    R"(  --schedule NAME      constant, inverse_time (c1/(t+c2)), step or exponential; with --c1, --c2,
                       --gamma, --step-size (defaults 1, 100, 0.5, 1000)
  --l2 X               L2 regularisation λ on the weights (default 0)
)";

// The option names, for the parser's declared list.
inline const char* const kScheduleOptions[] = {"schedule", "c1", "c2", "gamma", "step-size", "l2"};

inline ScheduleConfig schedule_from(const Arguments& args, ScheduleConfig schedule) {
  schedule.kind = args.text("schedule", schedule.kind);
  schedule.c1 = args.number("c1", schedule.c1);
  schedule.c2 = args.number("c2", schedule.c2);
  schedule.gamma = args.number("gamma", schedule.gamma);
  schedule.step_size = args.integer("step-size", schedule.step_size);
  return schedule;
}

}  // namespace profundo::cli
