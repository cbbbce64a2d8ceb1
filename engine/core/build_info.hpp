// What this build of the engine is: its variant name (set by the CMake preset), whether it was
// compiled with SIMD, and how many threads it can use.
#pragma once

#include <string>

namespace profundo {

struct BuildInfo {
  std::string variant;
  bool simd = false;
  int threads = 1;  // hardware threads available to a ThreadPool in this build
};

BuildInfo build_info();

}  // namespace profundo
