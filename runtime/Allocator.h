//===- Allocator.h - Aligned host memory ------------------------*- C++ -*-===//
//
// Aligned allocation for tensors and for generated code. Every block is at
// least kMinAlignment-byte aligned and is released with alignedFree(),
// whichever function allocated it. The same functions back the
// `_mlir_memref_to_llvm_*` services that artifacts import (Artifact.h).
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

/// True if `ptr` is aligned to `alignment` bytes.
inline bool isAligned(const void *ptr, size_t alignment = kMinAlignment) {
  return reinterpret_cast<uintptr_t>(ptr) % alignment == 0;
}

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_ALLOCATOR_H
