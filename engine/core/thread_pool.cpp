#include "core/thread_pool.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace profundo {

namespace {
// The single-threaded WebAssembly build defines PROFUNDO_NO_THREADS: std::thread cannot start there.
#ifdef PROFUNDO_NO_THREADS
constexpr bool kHasThreads = false;
#else
constexpr bool kHasThreads = true;
#endif

// A training step runs a few dozen parallel loops in quick succession, and waking a thread that
// sleeps on a condition variable takes tens of microseconds (more under WebAssembly, where it goes
// through Atomics.wait/notify). So a waiting thread first spins this long on an atomic.
constexpr auto kSpinTime = std::chrono::microseconds(100);

// Spins until done() or kSpinTime has passed; true when done() became true.
template <typename Done>
bool spin_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + kSpinTime;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
  }
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads < 1) throw std::invalid_argument("threads must be at least 1, got " + std::to_string(threads));
  if (!kHasThreads && threads > 1)
    throw std::invalid_argument("this build has no threads: threads must be 1, got " + std::to_string(threads));
  if (kGemmPackedByDefault)
    for (int i = 1; i < threads; ++i) gemm_scratch_.push_back(std::make_unique<GemmScratch>());
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { worker_loop(i - 1); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

bool ThreadPool::threads_supported() { return kHasThreads; }

int ThreadPool::hardware_threads() {
  if (!kHasThreads) return 1;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Claims tasks one at a time until none is left. Called and returns with `lock` held.
void ThreadPool::run_tasks(std::unique_lock<std::mutex>& lock) {
  while (next_task_ < task_count_) {
    const int index = next_task_++;
    const auto* task = task_;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*task)(index);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !first_error_) first_error_ = error;
    if (unfinished_tasks_.fetch_sub(1, std::memory_order_release) == 1) work_done_.notify_all();
  }
}

void ThreadPool::worker_loop(int worker) {
  if (!gemm_scratch_.empty()) adopt_gemm_scratch(gemm_scratch_[static_cast<std::size_t>(worker)].get());
  std::uint64_t seen_generation = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  const auto woken = [&] { return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen_generation; };
  for (;;) {
    if (!woken()) {
      lock.unlock();
      spin_until(woken);
      lock.lock();
    }
    work_ready_.wait(lock, woken);
    if (stopping_) return;
    seen_generation = generation_;
    run_tasks(lock);
  }
}

void ThreadPool::parallel_for(int task_count, FunctionRef<void(int)> task) {
  if (task_count <= 0) return;
  if (workers_.empty() || task_count == 1) {
    for (int i = 0; i < task_count; ++i) task(i);
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  task_ = &task;
  task_count_ = task_count;
  next_task_ = 0;
  unfinished_tasks_.store(task_count, std::memory_order_relaxed);
  first_error_ = nullptr;
  generation_.fetch_add(1, std::memory_order_release);
  work_ready_.notify_all();
  run_tasks(lock);
  const auto finished = [&] { return unfinished_tasks_.load(std::memory_order_acquire) == 0; };
  if (!finished()) {
    lock.unlock();
    spin_until(finished);
    lock.lock();
  }
  work_done_.wait(lock, finished);
  task_ = nullptr;
  task_count_ = 0;
  if (first_error_) {
    auto error = first_error_;
    first_error_ = nullptr;
    std::rethrow_exception(error);
  }
}

void ThreadPool::parallel_ranges(int n, int min_chunk, FunctionRef<void(int, int)> body) {
  if (n <= 0) return;
  const int chunks = std::max(1, std::min(threads(), n / std::max(1, min_chunk)));
  parallel_for(chunks, [&](int chunk) {
    const int begin = static_cast<int>(static_cast<long long>(n) * chunk / chunks);
    const int end = static_cast<int>(static_cast<long long>(n) * (chunk + 1) / chunks);
    body(begin, end);
  });
}

}  // namespace profundo
