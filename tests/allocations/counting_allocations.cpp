// The allocation functions of the C library, counted and then forwarded to the allocator's own.
// Counting here rather than in operator new also sees Eigen's aligned_malloc (Tensor storage, GEMM
// blocking buffers above EIGEN_STACK_ALLOCATION_LIMIT) and the C++ runtime, which all end in malloc.
// free() is not replaced: the allocator's own frees what its own functions returned.
//   native (glibc): forwarded to __libc_malloc and its siblings;
//   WebAssembly (Emscripten's dlmalloc, whose malloc is a weak symbol so that programs can replace
//   it): forwarded to emscripten_builtin_malloc / _memalign and __libc_realloc, the same allocator
//   under names that stay reachable. The same tests then run in the wasm builds (npm test's
//   wasm-simd and wasm-threads suites).
#include "counting_allocations.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#if !defined(__EMSCRIPTEN__)
#include <execinfo.h>
#include <unistd.h>
#endif

// glibc declares its allocation functions noexcept in C++ (__THROW); musl, under Emscripten, does not.
#if defined(__EMSCRIPTEN__)
#define C_NOEXCEPT
#else
#define C_NOEXCEPT noexcept
#endif

extern "C" {
#if defined(__EMSCRIPTEN__)
void* emscripten_builtin_malloc(std::size_t size);
void* emscripten_builtin_memalign(std::size_t alignment, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
#else
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void* __libc_valloc(std::size_t size);
void* __libc_pvalloc(std::size_t size);
#endif
}

namespace {

// The allocator's own functions, which the replacements below forward to.
#if defined(__EMSCRIPTEN__)
void* system_malloc(std::size_t size) { return emscripten_builtin_malloc(size); }
void* system_memalign(std::size_t alignment, std::size_t size) { return emscripten_builtin_memalign(alignment, size); }
void* system_calloc(std::size_t count, std::size_t size) {  // dlmalloc's calloc has no second name
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  void* pointer = emscripten_builtin_malloc(count * size);
  if (pointer != nullptr) std::memset(pointer, 0, count * size);
  return pointer;
}
#else
void* system_malloc(std::size_t size) { return __libc_malloc(size); }
void* system_memalign(std::size_t alignment, std::size_t size) { return __libc_memalign(alignment, size); }
void* system_calloc(std::size_t count, std::size_t size) { return __libc_calloc(count, size); }
#endif

std::atomic<std::size_t> allocations{0};
std::atomic<int> live_counters{0};

#if defined(__EMSCRIPTEN__)
// No backtraces here: Emscripten's programs do not see the shell's environment, and glibc's
// backtrace() does not exist. Run the native build to find where an allocation comes from.
void count(std::size_t /*bytes*/) { allocations.fetch_add(1, std::memory_order_relaxed); }
void prepare_backtraces() {}
#else
bool print_backtraces = false;  // PROFUNDO_ALLOCATION_BACKTRACE, read when a counter starts
thread_local bool in_backtrace = false;  // backtrace() itself may allocate on its first call

// Writes "--- allocation of <bytes> bytes while counting:" without allocating.
void write_header(std::size_t bytes) {
  char text[64] = "--- allocation of ";
  std::size_t length = 18;
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + bytes % 10);
    bytes /= 10;
  } while (bytes > 0);
  while (count > 0) text[length++] = digits[--count];
  static const char tail[] = " bytes while counting:\n";
  for (const char c : tail) if (c != '\0') text[length++] = c;
  (void)!write(STDERR_FILENO, text, length);
}

void count(std::size_t bytes) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (!print_backtraces || in_backtrace || live_counters.load(std::memory_order_relaxed) == 0) return;
  in_backtrace = true;
  void* frames[48];
  const int depth = backtrace(frames, 48);
  write_header(bytes);
  backtrace_symbols_fd(frames, depth, STDERR_FILENO);  // writes without allocating
  in_backtrace = false;
}

void prepare_backtraces() {
  print_backtraces = std::getenv("PROFUNDO_ALLOCATION_BACKTRACE") != nullptr;
  if (print_backtraces) {  // loads the unwinder now, outside the counted stretch
    void* frame;
    backtrace(&frame, 1);
  }
}
#endif

}  // namespace

namespace profundo::testing {

std::size_t allocation_count() { return allocations.load(std::memory_order_relaxed); }

AllocationCounter::AllocationCounter() {
  prepare_backtraces();
  start_ = allocation_count();
  live_counters.fetch_add(1);
}

AllocationCounter::~AllocationCounter() { live_counters.fetch_sub(1); }

std::size_t AllocationCounter::count() const { return allocation_count() - start_; }

}  // namespace profundo::testing

extern "C" {

void* malloc(std::size_t size) C_NOEXCEPT {
  count(size);
  return system_malloc(size);
}

void* calloc(std::size_t count_of, std::size_t size) C_NOEXCEPT {
  count(count_of * size);
  return system_calloc(count_of, size);
}

// realloc(p, 0) frees and a smaller size may stay in place; both are counted anyway: steady-state
// code should not call it at all.
void* realloc(void* pointer, std::size_t size) C_NOEXCEPT {
  count(size);
  return __libc_realloc(pointer, size);
}

void* memalign(std::size_t alignment, std::size_t size) C_NOEXCEPT {
  count(size);
  return system_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) C_NOEXCEPT {
  count(size);
  return system_memalign(alignment, size);
}

int posix_memalign(void** result, std::size_t alignment, std::size_t size) C_NOEXCEPT {
  count(size);
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* pointer = system_memalign(alignment, size);
  if (pointer == nullptr) return ENOMEM;
  *result = pointer;
  return 0;
}

#if !defined(__EMSCRIPTEN__)  // page-aligned: nothing here calls them, and dlmalloc gives them no second name
void* valloc(std::size_t size) C_NOEXCEPT {
  count(size);
  return __libc_valloc(size);
}

void* pvalloc(std::size_t size) C_NOEXCEPT {
  count(size);
  return __libc_pvalloc(size);
}

#endif

}  // extern "C"
