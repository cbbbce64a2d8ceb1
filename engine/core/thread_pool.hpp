// A fixed pool of worker threads for data-parallel loops. Built on std::thread, so it works
// natively and under Emscripten pthreads alike (there the workers come from the pthread pool that
// the module pre-spawns). The calling thread takes part in every loop.
#pragma once

#include "core/function_ref.hpp"
#include "core/gemm.hpp"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace profundo {

class ThreadPool {
 public:
  // threads = total threads used by a loop, the caller included; 1 means no worker threads.
  explicit ThreadPool(int threads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls task(i) for i in [0, task_count), spread over the pool; returns when all are done.
  // The first exception thrown by a task is rethrown here.
  void parallel_for(int task_count, FunctionRef<void(int)> task);

  // Splits [0, n) into at most threads() contiguous ranges of at least min_chunk items.
  void parallel_ranges(int n, int min_chunk, FunctionRef<void(int begin, int end)> body);

  // Hardware threads, or 1 when unknown (and in builds without threads).
  static int hardware_threads();
  // False in the single-threaded WebAssembly build, where only ThreadPool(1) can be made.
  static bool threads_supported();

 private:
  void worker_loop(int worker);
  void run_tasks(std::unique_lock<std::mutex>& lock);

  // Each worker's GEMM scratch, made here on the building thread (wasm builds: gemm_packed's).
  std::vector<std::unique_ptr<GemmScratch>> gemm_scratch_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  const FunctionRef<void(int)>* task_ = nullptr;
  int task_count_ = 0;
  int next_task_ = 0;
  // Written under mutex_; atomic so that waiting threads can spin on them without the lock.
  std::atomic<int> unfinished_tasks_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  std::exception_ptr first_error_;
};

}  // namespace profundo
