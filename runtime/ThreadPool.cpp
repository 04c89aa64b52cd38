//===- ThreadPool.cpp - Persistent pool for parallel loops ----------------===//
//
// Scheduling: a job is published with a new generation number, which idle
// workers poll for (~1 ms, TESSERA_SPIN_US) before they sleep on a
// condition variable; only sleeping workers are woken through it.
// Participants (the workers and the submitting thread) claim chunks from an
// atomic cursor over [0, n) (guided self-scheduling): each claim takes
// 1/(2 * threads) of what is left, at least one index. Large chunks first
// keep the claims few; the small ones at the end let a thread that started
// late or ran on a busy core take less of the loop, where one fixed chunk
// per thread made everyone wait for the slowest. Workers join a job while
// it is open, without a lock (joinJob); once the submitter has run out of
// indices it closes the job and waits only for the workers that joined, so
// a worker that wakes late (a busy core) delays nothing, and no worker
// touches a job's state after its loop returned.
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

/// How long idle threads poll for the next loop (and a submitter for its
/// workers' last chunks) before they sleep, unless TESSERA_SPIN_US says
/// otherwise. A thread that finished its chunks of a convolution waits for
/// the other's last chunk, often longer than 50 us; sleeping then costs a
/// wake-up, which in a VM takes tens to hundreds of microseconds. With 50
/// us ResNet-50 made ~30 context switches per run at 2 threads, with 1 ms
/// ~3, and ran 7-9% faster (ResNet-18 3-9%; docs/perf.md).
static constexpr int64_t kDefaultSpinUs = 1000;

/// The polling time: TESSERA_SPIN_US (0..1000000) or kDefaultSpinUs.
static std::chrono::microseconds spinTime() {
  static const std::chrono::microseconds time = [] {
    const char *text = std::getenv("TESSERA_SPIN_US");
    if (!text || !*text)
      return std::chrono::microseconds(kDefaultSpinUs);
    char *end = nullptr;
    long long value = std::strtoll(text, &end, 10);
    if (*end != '\0' || value < 0 || value > 1000000)
      return std::chrono::microseconds(kDefaultSpinUs);
    return std::chrono::microseconds(value);
  }();
  return time;
}

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

/// Polls `done` for up to spinTime(); returns as soon as it holds. The
/// predicate is checked after every pause: a pause takes ~140 cycles on
/// recent Intel cores, so checking only after a batch of 64 could make a
/// loop's start (a worker joining) and end (the submitter seeing its
/// workers finish) several microseconds late, on loops of 5-20 us in a
/// Transformer. The clock is read once per batch.
template <typename Predicate> static void spinUntil(Predicate done) {
  auto deadline = std::chrono::steady_clock::now() + spinTime();
  while (!done()) {
    for (int i = 0; i < 64; ++i) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if (done())
        return;
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
    // A new generation wakes the spinning workers too.
    std::lock_guard<std::mutex> state(stateMutex);
    stopping.store(true);
    generation.fetch_add(1, std::memory_order_release);
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
    auto newJob = [&] {
      return generation.load(std::memory_order_acquire) != seenGeneration;
    };
    if (spinWhileIdle)
      spinUntil(newJob);
    if (!newJob()) {
      std::unique_lock<std::mutex> state(stateMutex);
      ++sleepingWorkers;
      workAvailable.wait(state, newJob);
      --sleepingWorkers;
    }
    if (stopping.load())
      return;
    seenGeneration = generation.load(std::memory_order_acquire);
    joinJob(seenGeneration);
  }
}

void ThreadPool::joinJob(uint64_t current) {
  // Announce first, then check that the job is still open (both
  // sequentially consistent): the submitter closes the job before it waits
  // for busyWorkers to drop to zero, so either it waits for this worker or
  // this worker sees the job closed. A worker that comes late (the loop's
  // indices are all claimed; on a busy machine, often) leaves at once, and
  // no mutex is taken on the way in or out: with one, a worker that found
  // it held by the submitter slept on it and joined back-to-back loops
  // late (median join 0.9-1.05 us before, 0.13-0.52 us now: docs/perf.md).
  busyWorkers.fetch_add(1);
  if (openGeneration.load() == current) {
    insideParallelLoop = true;
    runChunks(jobBody, jobCtx, jobSize, jobThreads);
    insideParallelLoop = false;
    // A failed check in this worker belongs to the thread that started the
    // loop: hand it over before reporting completion.
    if (std::string error = takeRunError(); !error.empty()) {
      std::lock_guard<std::mutex> state(stateMutex);
      if (jobError.empty())
        jobError = std::move(error);
      jobFailed.store(true, std::memory_order_release);
    }
  }
  // The mutex orders the wake-up after the sleeping submitter's check of
  // busyWorkers, so the notification cannot be lost; a submitter that has
  // not announced its sleep yet will see busyWorkers at zero.
  if (busyWorkers.fetch_sub(1) == 1 && submitterWaiting.load()) {
    { std::lock_guard<std::mutex> state(stateMutex); }
    workDone.notify_one();
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
  // No worker reads the job's fields now: the previous job ended with
  // busyWorkers at zero, and a worker joins only the open generation.
  jobBody = body;
  jobCtx = ctx;
  jobSize = n;
  jobThreads = threads;
  nextIndex.store(0, std::memory_order_relaxed);
  bool wake;
  {
    std::lock_guard<std::mutex> state(stateMutex);
    uint64_t next = generation.load(std::memory_order_relaxed) + 1;
    openGeneration.store(next);
    generation.store(next, std::memory_order_release);
    wake = sleepingWorkers > 0;
  }
  if (wake)
    workAvailable.notify_all();

  insideParallelLoop = true;
  runChunks(body, ctx, n, threads);
  insideParallelLoop = false;

  // Every index is claimed: close the job and wait only for the workers
  // that joined it to finish their last chunks.
  openGeneration.store(0);
  auto allDone = [&] { return busyWorkers.load() == 0; };
  if (!allDone() && spinWhileIdle)
    spinUntil(allDone);
  if (!allDone()) {
    std::unique_lock<std::mutex> state(stateMutex);
    submitterWaiting.store(true);
    workDone.wait(state, allDone);
    submitterWaiting.store(false);
  }
  if (jobFailed.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> state(stateMutex);
    jobFailed.store(false, std::memory_order_relaxed);
    setRunError(std::exchange(jobError, std::string()));
  }
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
