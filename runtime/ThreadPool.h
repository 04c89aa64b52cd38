//===- ThreadPool.h - Persistent pool for parallel loops --------*- C++ -*-===//
//
// The pool behind `tessera_rt_parallel_for`: a fixed set of worker threads
// that split an index range [0, n) into contiguous chunks, claimed
// dynamically (guided self-scheduling: shrinking chunks). The submitting
// thread works on chunks too, so a pool of N threads starts N-1 workers.
// Idle threads poll for ~1 ms before sleeping when the pool is no larger
// than the number of hardware threads.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_THREADPOOL_H
#define TESSERA_RUNTIME_THREADPOOL_H

#include "runtime/Status.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tessera::runtime {

/// A persistent thread pool that runs one parallel loop at a time.
class ThreadPool {
public:
  /// Loop body: processes [begin, end) with the user context `ctx`.
  using Body = void (*)(int64_t begin, int64_t end, void *ctx);

  /// Creates a pool of `numThreads` threads (workers start lazily).
  explicit ThreadPool(int numThreads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// The process-wide pool used by artifacts. Its initial size comes from
  /// the environment variable TESSERA_NUM_THREADS (default 1).
  static ThreadPool &global();

  /// Resizes the pool; 0 means one thread per hardware thread. Fails when
  /// called from inside a parallel loop or with a negative count.
  Status setNumThreads(int numThreads);
  int getNumThreads() const { return numThreads.load(); }

  /// Runs body over [0, n) split into contiguous chunks that the threads
  /// claim in turn, each 1/(2 * getNumThreads()) of the indices not yet
  /// claimed (at least one), and returns when all have run. n <= 0 does
  /// nothing. Calls made from inside a loop body, or while another thread's
  /// loop occupies the pool, run serially on the calling thread.
  void parallelFor(int64_t n, Body body, void *ctx);

private:
  void startWorkers(int count);
  void stopWorkers();
  /// Waits for jobs newer than `seenGeneration` until stopped.
  void workerLoop(uint64_t seenGeneration);
  /// Runs the job of `current` if it is still open.
  void joinJob(uint64_t current);
  /// Claims and runs chunks of the current job until none are left.
  void runChunks(Body body, void *ctx, int64_t n, int threads);
  /// Size of the next chunk when `remaining` indices are left.
  static int64_t chunkSize(int64_t remaining, int threads);

  /// Held by the thread that owns the pool for a job (or a resize).
  std::mutex jobMutex;
  /// Protects the fields below and the condition variables.
  std::mutex stateMutex;
  std::condition_variable workAvailable;
  std::condition_variable workDone;
  std::vector<std::thread> workers;
  /// First failed run-time check reported by a worker (guarded by
  /// stateMutex); `jobFailed` says that there is one.
  std::string jobError;
  std::atomic<int> numThreads;
  /// Set (with a new generation) to make the workers return.
  std::atomic<bool> stopping{false};
  /// Workers waiting on workAvailable (guarded by stateMutex): a job is
  /// announced on the condition variable only when one sleeps.
  int sleepingWorkers = 0;

  // The current job. Only the thread holding jobMutex writes it: the fields
  // first, then `openGeneration` and `generation`. The atomics that threads
  // poll or update while others run have a cache line each, so that a
  // worker polling `generation` between loops does not pull the line that
  // the threads running a loop claim chunks from.
  /// Written under stateMutex; read without it by spinning workers.
  alignas(64) std::atomic<uint64_t> generation{0};
  /// The generation of the job workers may still join, 0 once the
  /// submitter has claimed the last index.
  std::atomic<uint64_t> openGeneration{0};
  Body jobBody = nullptr;
  void *jobCtx = nullptr;
  int64_t jobSize = 0;
  int jobThreads = 1;
  /// First index of [0, jobSize) not yet claimed.
  alignas(64) std::atomic<int64_t> nextIndex{0};
  /// Workers inside the current job (joined, or checking whether it is
  /// still open). The submitter returns only when it drops to zero.
  alignas(64) std::atomic<int> busyWorkers{0};
  /// Whether the submitter sleeps on workDone (set under stateMutex).
  std::atomic<bool> submitterWaiting{false};
  /// Whether a worker left a failed check in jobError.
  std::atomic<bool> jobFailed{false};
  /// Whether idle threads poll before sleeping (set when workers start).
  bool spinWhileIdle = false;
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_THREADPOOL_H
