//===- Npy.h - numpy .npy files ---------------------------------*- C++ -*-===//
//
// Reading and writing numpy's .npy format (versions 1.0, 2.0 and 3.0),
// restricted to what tensors need: little-endian (or byte-order free) plain
// dtypes from DType.h, C order, any rank including scalars.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_NPY_H
#define TESSERA_RUNTIME_NPY_H

#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <string>
#include <string_view>

namespace tessera::runtime {

/// The six magic bytes every .npy file starts with.
inline constexpr std::string_view kNpyMagic("\x93NUMPY", 6);

/// Reads the .npy file at `path` into `tensor`. Error messages name the
/// file.
TESSERA_RT_EXPORT Status readNpyFile(const std::string &path,
                                     HostTensor &tensor);

/// Parses an in-memory .npy image. Error messages are prefixed with
/// `sourceName`.
TESSERA_RT_EXPORT Status parseNpy(std::string_view bytes,
                                  std::string_view sourceName,
                                  HostTensor &tensor);

/// Serializes `data` (dense, C order, of `dtype` and `shape`) as a .npy
/// image (version 1.0, or 2.0 when the header needs it).
TESSERA_RT_EXPORT std::string
serializeNpy(DType dtype, const std::vector<int64_t> &shape, const void *data);

/// Writes `data` (dense, C order, of `dtype` and `shape`) to `path`.
TESSERA_RT_EXPORT Status writeNpyFile(const std::string &path, DType dtype,
                                      const std::vector<int64_t> &shape,
                                      const void *data);

/// Writes `tensor` to `path`.
inline Status writeNpyFile(const std::string &path, const HostTensor &tensor) {
  return writeNpyFile(path, tensor.dtype, tensor.shape, tensor.data());
}

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_NPY_H
