//===- Allocator.cpp - Aligned host memory --------------------------------===//
//
// Aligned allocation for tensors and for the MLIR generic allocation entry
// points that artifacts import, with a bounded cache of freed large blocks.
//
// Every block carries a 64-byte header just below the pointer handed out:
//
//   raw                      raw + offset - 64        raw + offset (user)
//   |<-- alignment padding -->|<------ Header ------>|<---- payload ---->|
//
// `offset` is the effective alignment (>= 64), so the user pointer keeps it.
// Blocks of at least kMinCachedBytes with the default 64-byte alignment are
// rounded up to a size class (four classes per power of two, so at most 25%
// slack) and, when freed, pushed on that class's free list instead of being
// returned to the C library, while the cached total stays under the limit.
// The next request of the same class pops one: a model run then reuses the
// previous run's intermediates instead of mmap-ing (and page-faulting and
// zeroing) fresh memory each time. The free lists are intrusive (the link
// lives in the header), so the cache itself never allocates.
//
//===----------------------------------------------------------------------===//

#include "runtime/Allocator.h"

#include "tessera-c/Artifact.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace tessera::runtime {

namespace {

constexpr uint64_t kMagic = 0x7465737365726121ull; // "tessera!"
constexpr unsigned kNoClass = ~0u;
constexpr unsigned kClassesPerPow2 = 4;
constexpr unsigned kMinClassLog2 = 14; // kMinCachedBytes = 16 KiB
constexpr unsigned kMaxClassLog2 = 40;
constexpr unsigned kNumClasses =
    (kMaxClassLog2 - kMinClassLog2 + 1) * kClassesPerPow2;

struct alignas(64) Header {
  uint64_t magic;
  uint64_t offset;   // user pointer - raw pointer
  uint64_t capacity; // usable payload bytes
  unsigned sizeClass;
  Header *next; // free-list link while cached
};
static_assert(sizeof(Header) == kMinAlignment, "header must be one line");

/// Size class of a request of `size` bytes (>= kMinCachedBytes) and the
/// capacity it is rounded up to; kNoClass when too large to cache.
unsigned classOf(size_t size, size_t &capacity) {
  unsigned log2 = 63 - __builtin_clzll(size);
  if (log2 < kMinClassLog2 || log2 > kMaxClassLog2)
    return kNoClass;
  size_t base = size_t(1) << log2;
  size_t step = base / kClassesPerPow2;
  size_t sub = (size - base + step - 1) / step; // 0..kClassesPerPow2
  capacity = base + sub * step;
  if (sub == kClassesPerPow2) { // rounds up to the next power of two
    ++log2;
    sub = 0;
    if (log2 > kMaxClassLog2)
      return kNoClass;
  }
  return (log2 - kMinClassLog2) * kClassesPerPow2 + unsigned(sub);
}

struct Cache {
  std::mutex mutex;
  Header *freeLists[kNumClasses] = {};
  size_t cachedBytes = 0;
  size_t limitBytes = size_t(256) << 20;
  AllocatorCacheStats stats = {};
  bool destroyed = false;

  Cache() {
    if (const char *env = std::getenv("TESSERA_ALLOC_CACHE_MB")) {
      char *end = nullptr;
      unsigned long long mb = std::strtoull(env, &end, 10);
      if (end != env)
        limitBytes = size_t(mb) << 20;
    }
  }

  /// Frees every cached block. Called with `mutex` held.
  void releaseLocked() {
    for (Header *&head : freeLists) {
      while (head) {
        Header *next = head->next;
        std::free(reinterpret_cast<char *>(head + 1) - head->offset);
        head = next;
      }
    }
    cachedBytes = 0;
  }

  ~Cache() {
    std::lock_guard<std::mutex> lock(mutex);
    releaseLocked();
    destroyed = true;
  }
};

Cache &cache() {
  static Cache instance;
  return instance;
}

/// Rounds `value` up to a power of two (value >= 1); 0 on overflow.
size_t roundUpToPowerOf2(size_t value) {
  size_t result = 1;
  while (result < value && result != 0)
    result <<= 1;
  return result;
}

void *allocateFresh(size_t alignment, size_t capacity, unsigned sizeClass) {
  void *raw = nullptr;
  if (posix_memalign(&raw, alignment, alignment + capacity) != 0)
    return nullptr;
  char *user = static_cast<char *>(raw) + alignment;
  Header *header = reinterpret_cast<Header *>(user) - 1;
  header->magic = kMagic;
  header->offset = alignment;
  header->capacity = capacity;
  header->sizeClass = sizeClass;
  header->next = nullptr;
  return user;
}

} // namespace

void *alignedAlloc(size_t alignment, size_t size) {
  if (alignment < kMinAlignment)
    alignment = kMinAlignment;
  alignment = roundUpToPowerOf2(alignment);
  if (alignment == 0)
    return nullptr;
  // Larger requests cannot succeed; fail before the C library (or a
  // sanitizer) sees them.
  if (size > (size_t(1) << 62) || alignment > (size_t(1) << 40))
    return nullptr;
  if (size == 0)
    size = 1;

  size_t capacity = size;
  unsigned sizeClass = kNoClass;
  if (alignment == kMinAlignment && size >= kMinCachedBytes)
    sizeClass = classOf(size, capacity);
  if (sizeClass == kNoClass)
    capacity = size;
  else {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (Header *header = c.freeLists[sizeClass]) {
      c.freeLists[sizeClass] = header->next;
      header->next = nullptr;
      c.cachedBytes -= header->capacity;
      ++c.stats.hits;
      return header + 1;
    }
    ++c.stats.misses;
  }
  return allocateFresh(alignment, capacity, sizeClass);
}

void alignedFree(void *ptr) {
  if (!ptr)
    return;
  Header *header = static_cast<Header *>(ptr) - 1;
  if (header->magic != kMagic) // not ours, or freed twice
    std::abort();
  if (header->sizeClass != kNoClass) {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (!c.destroyed && c.cachedBytes + header->capacity <= c.limitBytes) {
      header->next = c.freeLists[header->sizeClass];
      c.freeLists[header->sizeClass] = header;
      c.cachedBytes += header->capacity;
      return;
    }
    ++c.stats.evictions;
  }
  header->magic = 0;
  std::free(static_cast<char *>(ptr) - header->offset);
}

AllocatorCacheStats allocatorCacheStats() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  AllocatorCacheStats stats = c.stats;
  stats.cachedBytes = c.cachedBytes;
  stats.limitBytes = c.limitBytes;
  return stats;
}

void setAllocatorCacheLimit(size_t bytes) {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.limitBytes = bytes;
  if (c.cachedBytes > bytes)
    c.releaseLocked();
}

void releaseAllocatorCache() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.releaseLocked();
}

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
