//===- ThreadPool.cpp - Persistent pool for parallel loops ----------------===//
//
// Scheduling: a job is published under a mutex with a new generation number
// and every worker is woken. Participants (the workers and the submitting
// thread) claim chunks from an atomic cursor over [0, n) (guided
// self-scheduling): each claim takes 1/(2 * threads) of what is left, at
// least one index. Large chunks first keep the claims few; the small ones at
// the end let a thread that started late or ran on a busy core take less of
// the loop, where one fixed chunk per thread made everyone wait for the
// slowest. Workers join a job under the mutex while it is open; once the
// submitter has run out of indices it closes the job and waits only for the
// workers that joined, so a worker that wakes late (a busy core) delays
// nothing, and no worker touches a job's state after its loop returned.
//
//===----------------------------------------------------------------------===//

#include "runtime/ThreadPool.h"

#include "runtime/RunErrors.h"

#include "tessera-c/Artifact.h"
#include "tessera-c/Runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>

namespace tessera::runtime {

/// Upper bound on the pool size, to catch nonsense values early.
static constexpr int kMaxThreads = 1024;

/// How long idle threads poll for the next loop before they sleep.
static constexpr std::chrono::microseconds kSpinTime(50);

/// True while this thread runs a loop body (or submitted the current job):
/// nested parallel loops then run inline.
static thread_local bool insideParallelLoop = false;

/// Reads TESSERA_NUM_THREADS; invalid or absent values give 1.
static int defaultNumThreads() {
  const char *text = std::getenv("TESSERA_NUM_THREADS");
  if (!text || !*text)
    return 1;
  char *end = nullptr;
  long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < 0 || value > kMaxThreads)
    return 1;
  if (value == 0)
    return std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(value);
}

ThreadPool::ThreadPool(int numThreads)
    : numThreads(std::clamp(numThreads, 1, kMaxThreads)) {}

ThreadPool::~ThreadPool() {
  std::lock_guard<std::mutex> job(jobMutex);
  stopWorkers();
}

ThreadPool &ThreadPool::global() {
  static ThreadPool pool(defaultNumThreads());
  return pool;
}

Status ThreadPool::setNumThreads(int count) {
  if (count < 0 || count > kMaxThreads)
    return Status::error("invalid thread count " + std::to_string(count) +
                         " (expected 0.." + std::to_string(kMaxThreads) + ")");
  if (insideParallelLoop)
    return Status::error(
        "cannot change the thread count from inside a parallel loop");
  if (count == 0)
    count = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::lock_guard<std::mutex> job(jobMutex);
  if (count != numThreads.load()) {
    stopWorkers();
    numThreads.store(count);
  }
  return Status::success();
}

/// Polls `done` for up to kSpinTime; returns early once it holds.
template <typename Predicate> static void spinUntil(Predicate done) {
  auto deadline = std::chrono::steady_clock::now() + kSpinTime;
  while (!done()) {
    for (int i = 0; i < 64; ++i) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    if (std::chrono::steady_clock::now() > deadline)
      return;
  }
}

void ThreadPool::startWorkers(int count) {
  // Spinning only pays when every thread has a core of its own.
  spinWhileIdle =
      count + 1 <= static_cast<int>(std::thread::hardware_concurrency());
  // Only the thread holding jobMutex changes `generation`, so a worker that
  // starts late still sees the job published right after this call.
  stopping = false;
  workers.reserve(count);
  for (int i = 0; i < count; ++i)
    workers.emplace_back(
        [this, start = generation.load()] { workerLoop(start); });
}

void ThreadPool::stopWorkers() {
  {
    std::lock_guard<std::mutex> state(stateMutex);
    stopping = true;
  }
  workAvailable.notify_all();
  for (std::thread &worker : workers)
    worker.join();
  workers.clear();
}

int64_t ThreadPool::chunkSize(int64_t remaining, int threads) {
  return std::max<int64_t>(1, remaining / (int64_t{2} * threads));
}

void ThreadPool::runChunks(Body body, void *ctx, int64_t n, int threads) {
  int64_t begin = nextIndex.load(std::memory_order_relaxed);
  while (begin < n) {
    int64_t end = begin + chunkSize(n - begin, threads);
    // On failure `begin` is reloaded with the index another thread left.
    if (!nextIndex.compare_exchange_weak(begin, end,
                                         std::memory_order_relaxed))
      continue;
    body(begin, end, ctx);
    begin = nextIndex.load(std::memory_order_relaxed);
  }
}

void ThreadPool::workerLoop(uint64_t seenGeneration) {
  while (true) {
    // Generated code issues parallel loops back to back: poll briefly before
    // sleeping so that the next loop does not pay for a futex wake-up.
    if (spinWhileIdle)
      spinUntil([&] {
        return generation.load(std::memory_order_acquire) != seenGeneration;
      });
    Body body;
    void *ctx;
    int64_t n;
    int threads;
    {
      std::unique_lock<std::mutex> state(stateMutex);
      workAvailable.wait(state, [&] {
        return stopping || generation.load() != seenGeneration;
      });
      if (stopping)
        return;
      seenGeneration = generation.load();
      // A worker that wakes after the loop's indices are all done (on a
      // busy machine, often) has nothing to do and must not be waited for.
      if (!jobOpen)
        continue;
      busyWorkers.fetch_add(1, std::memory_order_relaxed);
      body = jobBody;
      ctx = jobCtx;
      n = jobSize;
      threads = jobThreads;
    }
    insideParallelLoop = true;
    runChunks(body, ctx, n, threads);
    insideParallelLoop = false;
    // A failed check in this worker belongs to the thread that started the
    // loop: hand it over before reporting completion.
    if (std::string error = takeRunError(); !error.empty()) {
      std::lock_guard<std::mutex> state(stateMutex);
      if (jobError.empty())
        jobError = std::move(error);
    }
    if (busyWorkers.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      // Taking the mutex orders this wake-up after the submitter's check of
      // the predicate, so the notification cannot be lost.
      { std::lock_guard<std::mutex> state(stateMutex); }
      workDone.notify_one();
    }
  }
}

void ThreadPool::parallelFor(int64_t n, Body body, void *ctx) {
  if (n <= 0 || !body)
    return;
  if (insideParallelLoop || n == 1 || numThreads.load() <= 1) {
    body(0, n, ctx);
    return;
  }
  // One job at a time: a concurrent caller runs its loop serially rather
  // than waiting for the pool.
  std::unique_lock<std::mutex> job(jobMutex, std::try_to_lock);
  if (!job.owns_lock()) {
    body(0, n, ctx);
    return;
  }
  int threads = numThreads.load();
  if (static_cast<int>(workers.size()) != threads - 1) {
    stopWorkers();
    startWorkers(threads - 1);
  }
  {
    std::lock_guard<std::mutex> state(stateMutex);
    jobBody = body;
    jobCtx = ctx;
    jobSize = n;
    jobThreads = threads;
    nextIndex.store(0, std::memory_order_relaxed);
    jobOpen = true;
    generation.fetch_add(1, std::memory_order_release);
  }
  workAvailable.notify_all();

  insideParallelLoop = true;
  runChunks(body, ctx, n, threads);
  insideParallelLoop = false;

  // Every index is claimed: wait only for the workers that joined to finish
  // their last chunks; the others will see the job closed.
  {
    std::lock_guard<std::mutex> state(stateMutex);
    jobOpen = false;
  }
  auto allDone = [&] {
    return busyWorkers.load(std::memory_order_acquire) == 0;
  };
  if (spinWhileIdle)
    spinUntil(allDone);
  std::unique_lock<std::mutex> state(stateMutex);
  workDone.wait(state, allDone);
  if (!jobError.empty())
    setRunError(std::exchange(jobError, std::string()));
}

} // namespace tessera::runtime

//===----------------------------------------------------------------------===//
// Services exported to artifacts and the C API.
//===----------------------------------------------------------------------===//

using namespace tessera::runtime;

extern "C" TESSERA_RT_EXPORT void
tessera_rt_parallel_for(int64_t n, void (*body)(int64_t, int64_t, void *),
                        void *ctx) {
  ThreadPool::global().parallelFor(n, body, ctx);
}
