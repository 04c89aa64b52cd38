//===- Allocator.cpp - Aligned host memory --------------------------------===//
//
// posix_memalign-based aligned allocation, and the MLIR generic allocation
// entry points that artifacts import. Because every path goes through
// posix_memalign, a single free() releases any of them.
//
//===----------------------------------------------------------------------===//

#include "runtime/Allocator.h"

#include "tessera-c/Artifact.h"

#include <cstdlib>

namespace tessera::runtime {

/// Rounds `value` up to a power of two (value >= 1).
static size_t roundUpToPowerOf2(size_t value) {
  size_t result = 1;
  while (result < value && result != 0)
    result <<= 1;
  return result;
}

void *alignedAlloc(size_t alignment, size_t size) {
  if (alignment < kMinAlignment)
    alignment = kMinAlignment;
  alignment = roundUpToPowerOf2(alignment);
  if (alignment == 0)
    return nullptr;
  // Larger requests cannot succeed; fail before the C library (or a
  // sanitizer) sees them.
  if (size > (size_t(1) << 62))
    return nullptr;
  if (size == 0)
    size = 1;
  void *ptr = nullptr;
  if (posix_memalign(&ptr, alignment, size) != 0)
    return nullptr;
  return ptr;
}

void alignedFree(void *ptr) { std::free(ptr); }

} // namespace tessera::runtime

//===----------------------------------------------------------------------===//
// Services exported to artifacts (Artifact.h).
//===----------------------------------------------------------------------===//

using namespace tessera::runtime;

extern "C" TESSERA_RT_EXPORT void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  return alignedAlloc(kMinAlignment, static_cast<size_t>(size));
}

extern "C" TESSERA_RT_EXPORT void *
_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment, uint64_t size) {
  return alignedAlloc(static_cast<size_t>(alignment),
                      static_cast<size_t>(size));
}

extern "C" TESSERA_RT_EXPORT void _mlir_memref_to_llvm_free(void *ptr) {
  alignedFree(ptr);
}
