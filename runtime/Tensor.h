//===- Tensor.h - Host tensors with aligned storage -------------*- C++ -*-===//
//
// AlignedBuffer owns a 64-byte aligned block; HostTensor pairs one with a
// dtype and a shape. Also shape helpers shared by the metadata, .npy and
// TensorProto readers (overflow-checked element counts, "1x3x224x224"
// formatting).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_TENSOR_H
#define TESSERA_RUNTIME_TENSOR_H

#include "runtime/Allocator.h"
#include "runtime/DType.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tessera::runtime {

/// A move-only owner of a kMinAlignment-aligned block of memory.
class AlignedBuffer {
public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;
  AlignedBuffer(AlignedBuffer &&other) noexcept
      : ptr(std::exchange(other.ptr, nullptr)),
        bytes(std::exchange(other.bytes, 0)) {}
  AlignedBuffer &operator=(AlignedBuffer &&other) noexcept {
    if (this != &other) {
      alignedFree(ptr);
      ptr = std::exchange(other.ptr, nullptr);
      bytes = std::exchange(other.bytes, 0);
    }
    return *this;
  }
  ~AlignedBuffer() { alignedFree(ptr); }

  /// Allocates `size` bytes (uninitialized). Returns false when out of
  /// memory, leaving the buffer empty.
  bool allocate(size_t size) {
    alignedFree(ptr);
    ptr = alignedAlloc(kMinAlignment, size);
    bytes = ptr ? size : 0;
    return ptr != nullptr;
  }

  void *data() { return ptr; }
  const void *data() const { return ptr; }
  size_t size() const { return bytes; }

private:
  void *ptr = nullptr;
  size_t bytes = 0;
};

/// Computes the number of elements of `shape` into `numElements`; returns
/// false if a dimension is negative or the byte size of an `elementSize`
/// tensor would overflow.
TESSERA_RT_EXPORT bool computeNumElements(const std::vector<int64_t> &shape,
                                          size_t elementSize,
                                          int64_t &numElements);

/// Formats a shape as in artifact metadata: "1x3x224x224", or "scalar".
TESSERA_RT_EXPORT std::string formatShape(const std::vector<int64_t> &shape);

/// A dense row-major tensor in host memory.
struct HostTensor {
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  AlignedBuffer buffer;

  /// Product of the dims (assumes the shape was validated).
  int64_t numElements() const {
    int64_t count = 1;
    for (int64_t dim : shape)
      count *= dim;
    return count;
  }
  size_t sizeInBytes() const {
    return static_cast<size_t>(numElements()) * dtypeSize(dtype);
  }
  /// Allocates storage for the current dtype and shape.
  bool allocate() { return buffer.allocate(sizeInBytes()); }
  void *data() { return buffer.data(); }
  const void *data() const { return buffer.data(); }
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_TENSOR_H
