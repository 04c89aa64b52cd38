//===- AllocatorTest.cpp - Tests of aligned allocation --------------------===//

#include "runtime/Allocator.h"
#include "runtime/Tensor.h"
#include "tessera-c/Artifact.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

using namespace tessera::runtime;

namespace {

TEST(Allocator, MlirAllocIs64ByteAligned) {
  for (uint64_t size : {0, 1, 7, 63, 64, 65, 1000, 1 << 20}) {
    void *ptr = _mlir_memref_to_llvm_alloc(size);
    ASSERT_NE(ptr, nullptr) << "size " << size;
    EXPECT_TRUE(isAligned(ptr, 64)) << "size " << size;
    std::memset(ptr, 0xab, size);
    _mlir_memref_to_llvm_free(ptr);
  }
}

TEST(Allocator, MlirAlignedAllocHonorsLargerAlignment) {
  for (uint64_t alignment : {1, 8, 16, 64, 128, 4096}) {
    void *ptr = _mlir_memref_to_llvm_aligned_alloc(alignment, 100);
    ASSERT_NE(ptr, nullptr);
    EXPECT_TRUE(isAligned(ptr, alignment < 64 ? 64 : alignment))
        << "alignment " << alignment;
    _mlir_memref_to_llvm_free(ptr);
  }
}

TEST(Allocator, NonPowerOfTwoAlignmentIsRoundedUp) {
  void *ptr = alignedAlloc(96, 10);
  ASSERT_NE(ptr, nullptr);
  EXPECT_TRUE(isAligned(ptr, 128));
  alignedFree(ptr);
}

TEST(Allocator, FreeAcceptsNull) {
  _mlir_memref_to_llvm_free(nullptr);
  alignedFree(nullptr);
}

TEST(Allocator, HugeAllocationFailsCleanly) {
  EXPECT_EQ(alignedAlloc(64, ~size_t(0) - 4096), nullptr);
}

TEST(Allocator, AlignedBufferOwnsAndMoves) {
  AlignedBuffer buffer;
  ASSERT_TRUE(buffer.allocate(100));
  EXPECT_TRUE(isAligned(buffer.data()));
  EXPECT_EQ(buffer.size(), 100u);
  void *data = buffer.data();
  AlignedBuffer moved(std::move(buffer));
  EXPECT_EQ(moved.data(), data);
  EXPECT_EQ(buffer.data(), nullptr);
}

// Restores the default cache limit and empties the cache around a test.
struct CacheScope {
  size_t limit = allocatorCacheStats().limitBytes;
  CacheScope() { releaseAllocatorCache(); }
  ~CacheScope() {
    setAllocatorCacheLimit(limit);
    releaseAllocatorCache();
  }
};

TEST(AllocatorCache, FreedLargeBlockIsReused) {
  CacheScope scope;
  setAllocatorCacheLimit(size_t(64) << 20);
  const size_t size = size_t(3) << 20;
  void *first = _mlir_memref_to_llvm_alloc(size);
  ASSERT_NE(first, nullptr);
  std::memset(first, 1, size);
  _mlir_memref_to_llvm_free(first);
  EXPECT_GE(allocatorCacheStats().cachedBytes, size);
  AllocatorCacheStats before = allocatorCacheStats();
  // Same size class (sizes within 25% of each other round up alike).
  void *second = _mlir_memref_to_llvm_alloc(size - 1000);
  EXPECT_EQ(second, first);
  EXPECT_TRUE(isAligned(second, 64));
  std::memset(second, 2, size - 1000);
  AllocatorCacheStats after = allocatorCacheStats();
  EXPECT_EQ(after.hits, before.hits + 1);
  EXPECT_EQ(after.cachedBytes, 0u);
  _mlir_memref_to_llvm_free(second);
}

TEST(AllocatorCache, SmallBlocksAndLargeAlignmentsBypassTheCache) {
  CacheScope scope;
  void *small = alignedAlloc(64, kMinCachedBytes - 1);
  alignedFree(small);
  void *page = alignedAlloc(4096, size_t(1) << 20);
  ASSERT_NE(page, nullptr);
  EXPECT_TRUE(isAligned(page, 4096));
  alignedFree(page);
  EXPECT_EQ(allocatorCacheStats().cachedBytes, 0u);
}

TEST(AllocatorCache, BoundIsRespected) {
  CacheScope scope;
  const size_t limit = size_t(4) << 20;
  setAllocatorCacheLimit(limit);
  std::vector<void *> blocks;
  for (int i = 0; i < 10; ++i)
    blocks.push_back(alignedAlloc(64, size_t(1) << 20));
  AllocatorCacheStats before = allocatorCacheStats();
  for (void *block : blocks)
    alignedFree(block);
  AllocatorCacheStats after = allocatorCacheStats();
  EXPECT_LE(after.cachedBytes, limit);
  EXPECT_EQ(after.cachedBytes, limit); // four 1 MiB blocks fit exactly
  EXPECT_EQ(after.evictions, before.evictions + 6);
  // Lowering the limit below the cached total empties the cache.
  setAllocatorCacheLimit(limit / 2);
  EXPECT_EQ(allocatorCacheStats().cachedBytes, 0u);
  // A zero limit disables caching.
  setAllocatorCacheLimit(0);
  alignedFree(alignedAlloc(64, size_t(1) << 20));
  EXPECT_EQ(allocatorCacheStats().cachedBytes, 0u);
}

TEST(AllocatorCache, SizeClassesNeverHandOutASmallerBlock) {
  CacheScope scope;
  setAllocatorCacheLimit(size_t(256) << 20);
  // Free one block of each of many sizes, then ask for each size again and
  // write all of it (ASan or a crash would catch a too-small block).
  std::vector<size_t> sizes;
  for (size_t size = kMinCachedBytes; size < (size_t(8) << 20);
       size = size * 9 / 7 + 13)
    sizes.push_back(size);
  std::vector<void *> blocks;
  for (size_t size : sizes)
    blocks.push_back(alignedAlloc(64, size));
  for (void *block : blocks)
    alignedFree(block);
  std::set<void *> distinct;
  for (size_t i = sizes.size(); i-- > 0;) {
    void *block = alignedAlloc(64, sizes[i]);
    ASSERT_NE(block, nullptr);
    EXPECT_TRUE(isAligned(block, 64));
    std::memset(block, 0x5a, sizes[i]);
    EXPECT_TRUE(distinct.insert(block).second);
  }
  for (void *block : distinct)
    alignedFree(block);
}

TEST(AllocatorCache, ConcurrentAllocAndFree) {
  CacheScope scope;
  setAllocatorCacheLimit(size_t(32) << 20);
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      std::vector<std::pair<unsigned char *, size_t>> live;
      for (int i = 0; i < 2000; ++i) {
        size_t size = kMinCachedBytes + size_t((i * 7919 + t * 104729) %
                                               (1 << 20));
        auto *block = static_cast<unsigned char *>(
            _mlir_memref_to_llvm_alloc(size));
        if (!block || !isAligned(block, 64)) {
          ++failures;
          continue;
        }
        std::memset(block, t, size);
        live.emplace_back(block, size);
        if (live.size() > 4 || i % 3 == 0) {
          auto [old, oldSize] = live.front();
          live.erase(live.begin());
          // Nobody else wrote into this thread's block.
          if (old[0] != t || old[oldSize - 1] != t)
            ++failures;
          _mlir_memref_to_llvm_free(old);
        }
      }
      for (auto [block, size] : live)
        _mlir_memref_to_llvm_free(block);
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  AllocatorCacheStats stats = allocatorCacheStats();
  EXPECT_LE(stats.cachedBytes, stats.limitBytes);
  EXPECT_GT(stats.hits, 0u);
}

TEST(Tensor, ShapeHelpers) {
  int64_t count = 0;
  EXPECT_TRUE(computeNumElements({2, 3, 4}, 4, count));
  EXPECT_EQ(count, 24);
  EXPECT_TRUE(computeNumElements({}, 4, count));
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(computeNumElements({0, 5}, 4, count));
  EXPECT_EQ(count, 0);
  EXPECT_FALSE(computeNumElements({-1, 5}, 4, count));
  EXPECT_FALSE(computeNumElements({1 << 30, 1 << 30, 1 << 30}, 4, count));
  EXPECT_EQ(formatShape({1, 3, 224, 224}), "1x3x224x224");
  EXPECT_EQ(formatShape({}), "scalar");
}

} // namespace
