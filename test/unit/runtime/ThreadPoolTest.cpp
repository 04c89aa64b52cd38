//===- ThreadPoolTest.cpp - Tests of tessera_rt_parallel_for --------------===//
//
// Exercises the pool through the services artifacts use: chunking, coverage,
// thread counts, nesting, and concurrent submitters.
//
//===----------------------------------------------------------------------===//

#include "tessera-c/Artifact.h"
#include "tessera-c/Runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace {

/// Records every chunk a loop ran and on which thread.
struct Recorder {
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> chunks;
  std::set<std::thread::id> threads;
  std::atomic<int64_t> sum{0};
};

void recordChunk(int64_t begin, int64_t end, void *ctx) {
  auto *recorder = static_cast<Recorder *>(ctx);
  int64_t partial = 0;
  for (int64_t i = begin; i < end; ++i)
    partial += i;
  recorder->sum += partial;
  std::lock_guard<std::mutex> lock(recorder->mutex);
  recorder->chunks.emplace_back(begin, end);
  recorder->threads.insert(std::this_thread::get_id());
  // Give other workers a chance to pick up chunks.
  std::this_thread::sleep_for(std::chrono::microseconds(200));
}

/// Runs a loop of `n` and checks that its chunks tile [0, n) contiguously,
/// in the sizes guided self-scheduling gives.
void checkLoop(int threads, int64_t n) {
  SCOPED_TRACE("threads=" + std::to_string(threads) +
               " n=" + std::to_string(n));
  ASSERT_EQ(tessera_runtime_set_num_threads(threads), TESSERA_OK);
  EXPECT_EQ(tessera_runtime_get_num_threads(), threads);
  Recorder recorder;
  tessera_rt_parallel_for(n, recordChunk, &recorder);
  EXPECT_EQ(recorder.sum.load(), n * (n - 1) / 2);
  std::sort(recorder.chunks.begin(), recorder.chunks.end());
  // One thread runs the loop as one chunk; more split it at least in two.
  int64_t minChunks = threads == 1 ? 1 : std::min<int64_t>(2, n);
  EXPECT_GE(static_cast<int64_t>(recorder.chunks.size()), minChunks);
  // No chunk exceeds the first claim's share, 1/(2 * threads) of the loop.
  int64_t maxChunk =
      threads == 1 ? n : std::max<int64_t>(1, n / (2 * threads));
  int64_t next = 0;
  for (auto [begin, end] : recorder.chunks) {
    EXPECT_EQ(begin, next);
    EXPECT_LT(begin, end);
    EXPECT_LE(end - begin, maxChunk);
    next = end;
  }
  EXPECT_EQ(next, n);
  EXPECT_LE(static_cast<int>(recorder.threads.size()), threads);
}

TEST(ThreadPool, SumsWithOneTwoAndFourThreads) {
  for (int threads : {1, 2, 4})
    for (int64_t n : {1, 2, 3, 4, 7, 100, 1001})
      checkLoop(threads, n);
}

TEST(ThreadPool, FewerIndicesThanThreads) {
  checkLoop(4, 3);
  checkLoop(8, 1);
}

/// Each chunk waits (up to 10 s) until two chunks have started, so a loop
/// only finishes quickly if two threads really run at the same time.
struct Rendezvous {
  std::atomic<int> arrived{0};
  std::atomic<bool> timedOut{false};
  std::mutex mutex;
  std::set<std::thread::id> threads;
};

void meetChunk(int64_t, int64_t, void *ctx) {
  auto *meeting = static_cast<Rendezvous *>(ctx);
  {
    std::lock_guard<std::mutex> lock(meeting->mutex);
    meeting->threads.insert(std::this_thread::get_id());
  }
  ++meeting->arrived;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (meeting->arrived.load() < 2) {
    if (std::chrono::steady_clock::now() > deadline) {
      meeting->timedOut = true;
      return;
    }
    std::this_thread::yield();
  }
}

TEST(ThreadPool, RunsChunksConcurrently) {
  ASSERT_EQ(tessera_runtime_set_num_threads(2), TESSERA_OK);
  Rendezvous meeting;
  tessera_rt_parallel_for(2, meetChunk, &meeting);
  EXPECT_FALSE(meeting.timedOut.load());
  EXPECT_EQ(meeting.threads.size(), 2u);
}

TEST(ThreadPool, WakesWorkersThatSleptBetweenLoops) {
  // Idle for longer than workers poll (TESSERA_SPIN_US, 1 ms by default):
  // they sleep, and each loop must still get both threads.
  ASSERT_EQ(tessera_runtime_set_num_threads(2), TESSERA_OK);
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Rendezvous meeting;
    tessera_rt_parallel_for(2, meetChunk, &meeting);
    EXPECT_FALSE(meeting.timedOut.load());
    EXPECT_EQ(meeting.threads.size(), 2u);
  }
}

TEST(ThreadPool, EmptyAndNegativeRangesAreNoOps) {
  ASSERT_EQ(tessera_runtime_set_num_threads(2), TESSERA_OK);
  Recorder recorder;
  tessera_rt_parallel_for(0, recordChunk, &recorder);
  tessera_rt_parallel_for(-5, recordChunk, &recorder);
  EXPECT_TRUE(recorder.chunks.empty());
}

/// Context of the nested-loop test.
struct NestedContext {
  std::atomic<int64_t> sum{0};
  std::atomic<int> innerOnOtherThread{0};
};

void innerChunk(int64_t begin, int64_t end, void *ctx) {
  auto *nested =
      static_cast<std::pair<NestedContext *, std::thread::id> *>(ctx);
  if (std::this_thread::get_id() != nested->second)
    ++nested->first->innerOnOtherThread;
  for (int64_t i = begin; i < end; ++i)
    nested->first->sum += i;
}

void outerChunk(int64_t begin, int64_t end, void *ctx) {
  for (int64_t i = begin; i < end; ++i) {
    std::pair<NestedContext *, std::thread::id> inner(
        static_cast<NestedContext *>(ctx), std::this_thread::get_id());
    tessera_rt_parallel_for(10, innerChunk, &inner);
  }
}

TEST(ThreadPool, NestedLoopsRunInline) {
  ASSERT_EQ(tessera_runtime_set_num_threads(4), TESSERA_OK);
  NestedContext ctx;
  tessera_rt_parallel_for(8, outerChunk, &ctx);
  EXPECT_EQ(ctx.sum.load(), 8 * 45);
  EXPECT_EQ(ctx.innerOnOtherThread.load(), 0);
}

TEST(ThreadPool, ConcurrentSubmittersBothComplete) {
  ASSERT_EQ(tessera_runtime_set_num_threads(2), TESSERA_OK);
  Recorder first, second;
  std::thread other([&] {
    for (int i = 0; i < 50; ++i)
      tessera_rt_parallel_for(10, recordChunk, &first);
  });
  for (int i = 0; i < 50; ++i)
    tessera_rt_parallel_for(10, recordChunk, &second);
  other.join();
  EXPECT_EQ(first.sum.load(), 50 * 45);
  EXPECT_EQ(second.sum.load(), 50 * 45);
}

/// Adds each index of a chunk into a per-loop array (no sleeping), so the
/// submitter often claims every index before a worker wakes up.
void countIndices(int64_t begin, int64_t end, void *ctx) {
  auto *counts = static_cast<std::vector<std::atomic<int>> *>(ctx);
  for (int64_t i = begin; i < end; ++i)
    ++(*counts)[i];
}

TEST(ThreadPool, BackToBackLoopsRunEachIndexOnce) {
  // Workers that wake after a loop's last index was claimed must neither run
  // part of a later loop twice nor make the submitter wait for them.
  for (int threads : {2, 4}) {
    ASSERT_EQ(tessera_runtime_set_num_threads(threads), TESSERA_OK);
    for (int loop = 0; loop < 500; ++loop) {
      int64_t n = 1 + loop % 7;
      std::vector<std::atomic<int>> counts(n);
      tessera_rt_parallel_for(n, countIndices, &counts);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(counts[i].load(), 1) << "loop " << loop << " index " << i;
    }
  }
}

TEST(ThreadPool, ResizingRepeatedly) {
  for (int round = 0; round < 20; ++round) {
    checkLoop(1 + round % 4, 50);
  }
}

/// Every chunk tries to resize the pool from inside the loop; chunks run at
/// the same time, so the status they all store is an atomic.
void setThreadsInside(int64_t, int64_t, void *ctx) {
  static_cast<std::atomic<int> *>(ctx)->store(
      tessera_runtime_set_num_threads(3));
}

TEST(ThreadPool, RejectsBadThreadCounts) {
  EXPECT_EQ(tessera_runtime_set_num_threads(-1),
            TESSERA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tessera_last_error()).find("invalid thread count"),
            std::string::npos);
  EXPECT_EQ(tessera_runtime_set_num_threads(100000),
            TESSERA_ERROR_INVALID_ARGUMENT);
  ASSERT_EQ(tessera_runtime_set_num_threads(2), TESSERA_OK);
  std::atomic<int> inside{TESSERA_OK};
  tessera_rt_parallel_for(4, setThreadsInside, &inside);
  EXPECT_EQ(inside.load(), TESSERA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tessera_runtime_get_num_threads(), 2);
  ASSERT_EQ(tessera_runtime_set_num_threads(0), TESSERA_OK);
  EXPECT_GE(tessera_runtime_get_num_threads(), 1);
}

} // namespace
