//===- Allocator.h - Aligned host memory ------------------------*- C++ -*-===//
//
// Aligned allocation for tensors and for generated code. Every block is at
// least kMinAlignment-byte aligned and is released with alignedFree(),
// whichever function allocated it (never with free()). The same functions
// back the `_mlir_memref_to_llvm_*` services that artifacts import
// (Artifact.h).
//
// Freed blocks of at least kMinCachedBytes are kept in a size-class cache
// (bounded by a byte limit: 256 MiB, or TESSERA_ALLOC_CACHE_MB) and handed
// out again, so repeated model runs reuse their intermediates instead of
// page-faulting fresh memory. The cache is thread-safe and is released when
// the runtime library is unloaded.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_ALLOCATOR_H
#define TESSERA_RUNTIME_ALLOCATOR_H

#include "tessera-c/Runtime.h"

#include <cstddef>
#include <cstdint>

namespace tessera::runtime {

/// Minimum alignment of every runtime allocation (one cache line, and the
/// alignment the artifact ABI promises for buffers).
inline constexpr size_t kMinAlignment = 64;

/// Allocates `size` bytes aligned to max(alignment, kMinAlignment); an
/// alignment that is not a power of two is rounded up to one. A zero size
/// still returns a unique non-null block. Returns nullptr when out of memory.
TESSERA_RT_EXPORT void *alignedAlloc(size_t alignment, size_t size);

/// Releases a block from alignedAlloc(). Accepts nullptr.
TESSERA_RT_EXPORT void alignedFree(void *ptr);

/// Smallest request that goes through the block cache.
inline constexpr size_t kMinCachedBytes = size_t(16) << 10;

struct AllocatorCacheStats {
  size_t cachedBytes; // bytes held in the cache now
  size_t limitBytes;  // bound on cachedBytes
  uint64_t hits;      // cacheable requests served from the cache
  uint64_t misses;    // cacheable requests that allocated fresh memory
  uint64_t evictions; // cacheable frees released because the cache was full
};

/// Counters of the block cache (cumulative since load, except the sizes).
TESSERA_RT_EXPORT AllocatorCacheStats allocatorCacheStats();

/// Sets the bound on cached bytes; releases the whole cache if it is over.
TESSERA_RT_EXPORT void setAllocatorCacheLimit(size_t bytes);

/// Returns every cached block to the C library.
TESSERA_RT_EXPORT void releaseAllocatorCache();

/// True if `ptr` is aligned to `alignment` bytes.
inline bool isAligned(const void *ptr, size_t alignment = kMinAlignment) {
  return reinterpret_cast<uintptr_t>(ptr) % alignment == 0;
}

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_ALLOCATOR_H
