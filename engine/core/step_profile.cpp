#include "core/step_profile.hpp"

#include <chrono>

namespace profundo {

namespace {

// Per thread: the scopes time only the thread that switched profiling on, the one running the step
// (pool workers running parts of it are not timed, see step_profile.hpp).
thread_local bool profiling = false;

std::vector<ProfilePart*>& registry() {
  static std::vector<ProfilePart*> parts;  // built during static initialisation, never per step
  return parts;
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ProfilePart::ProfilePart(const char* part_name) : name(part_name) { registry().push_back(this); }

ProfileScope::ProfileScope(ProfilePart& part) : part_(profiling ? &part : nullptr) {
  if (part_ != nullptr) start_ = now_seconds();
}

void ProfileScope::stop() {
  if (part_ == nullptr) return;
  part_->seconds += now_seconds() - start_;
  part_ = nullptr;
}

void set_step_profiling(bool on) {
  profiling = on;
  if (on)
    for (ProfilePart* part : registry()) part->seconds = 0;
}

const std::vector<ProfilePart*>& profile_parts() { return registry(); }

}  // namespace profundo
