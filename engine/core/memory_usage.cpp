#include "core/memory_usage.hpp"

#include <malloc.h>

namespace profundo {

double allocated_bytes() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  return static_cast<double>(mallinfo2().uordblks);  // mallinfo's int fields overflow past 2 GB
#else
  return static_cast<double>(mallinfo().uordblks);  // Emscripten's dlmalloc, older glibc
#endif
}

}  // namespace profundo
