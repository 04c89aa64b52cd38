//===- Tensor.cpp - Shape helpers -----------------------------------------===//

#include "runtime/Tensor.h"

namespace tessera::runtime {

/// Largest tensor byte size accepted anywhere in the runtime (2^62).
static constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 62;

bool computeNumElements(const std::vector<int64_t> &shape, size_t elementSize,
                        int64_t &numElements) {
  uint64_t count = 1;
  uint64_t limit = kMaxTensorBytes / (elementSize ? elementSize : 1);
  for (int64_t dim : shape) {
    if (dim < 0)
      return false;
    if (dim != 0 && count > limit / static_cast<uint64_t>(dim))
      return false;
    count *= static_cast<uint64_t>(dim);
  }
  numElements = static_cast<int64_t>(count);
  return true;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i != 0)
      text += 'x';
    text += std::to_string(shape[i]);
  }
  return text;
}

} // namespace tessera::runtime
