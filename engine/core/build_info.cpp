#include "core/build_info.hpp"

#include "core/thread_pool.hpp"

#ifndef PROFUNDO_BUILD_NAME
#define PROFUNDO_BUILD_NAME "unknown"
#endif

namespace profundo {

BuildInfo build_info() {
  BuildInfo info;
  info.variant = PROFUNDO_BUILD_NAME;
#if defined(__wasm_simd128__) || defined(__SSE2__) || defined(__ARM_NEON)
  info.simd = true;
#endif
  info.threads = ThreadPool::hardware_threads();
  return info;
}

}  // namespace profundo
