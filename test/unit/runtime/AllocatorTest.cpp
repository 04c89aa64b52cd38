//===- AllocatorTest.cpp - Tests of aligned allocation --------------------===//

#include "runtime/Allocator.h"
#include "runtime/Tensor.h"
#include "tessera-c/Artifact.h"

#include <gtest/gtest.h>

#include <cstring>

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
