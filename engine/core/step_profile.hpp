// Where a training step's time goes, finer than per layer (profundo-bench --profile on the
// char-LSTM): named parts of the code, each timed by a scope placed around it. Off unless switched
// on, when a scope costs one load and one branch. Scopes time the thread that switched profiling on,
// the one that runs the step (around work that may itself be split across the pool); on the pool's
// workers they do nothing, so a part split by rows (a recurrence) shows the calling thread's share.
#pragma once

#include <vector>

namespace profundo {

// One named part: declared once at namespace scope where it is measured (it registers itself).
struct ProfilePart {
  explicit ProfilePart(const char* name);
  const char* name;
  double seconds = 0;  // accumulated while profiling is on
};

class ProfileScope {
 public:
  explicit ProfileScope(ProfilePart& part);
  ~ProfileScope() { stop(); }
  // Ends the timing before the scope ends (once; later calls do nothing).
  void stop();
  ProfileScope(const ProfileScope&) = delete;
  ProfileScope& operator=(const ProfileScope&) = delete;

 private:
  ProfilePart* part_;
  double start_ = 0;
};

// Switches the scopes on or off; switching on zeroes every part's time.
void set_step_profiling(bool on);
// Every part the program declares, in registration order.
const std::vector<ProfilePart*>& profile_parts();

}  // namespace profundo
