// Counts every heap allocation of this executable, so a test can assert that a stretch of code
// allocates nothing. Only this test executable replaces the C allocation functions, in the native
// and wasm builds without sanitizers (they bring their own allocator).
#pragma once

#include <cstddef>

namespace profundo::testing {

// Heap allocations since the program started, on all threads.
std::size_t allocation_count();

// Counts the allocations made while it lives. To find where they come from, run the tests with
// PROFUNDO_ALLOCATION_BACKTRACE=1 (native builds): each one then prints a backtrace to stderr (pipe
// through c++filt).
class AllocationCounter {
 public:
  AllocationCounter();
  ~AllocationCounter();
  AllocationCounter(const AllocationCounter&) = delete;
  AllocationCounter& operator=(const AllocationCounter&) = delete;

  std::size_t count() const;

 private:
  std::size_t start_;
};

}  // namespace profundo::testing
