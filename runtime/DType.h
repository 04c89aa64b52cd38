//===- DType.h - Element types of runtime tensors ---------------*- C++ -*-===//
//
// The element types the runtime understands, their sizes, and their names in
// the three places they appear: artifact metadata ("float32"), ONNX
// TensorProto data_type numbers, and numpy .npy descr strings ("<f4").
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_DTYPE_H
#define TESSERA_RUNTIME_DTYPE_H

#include "tessera-c/Runtime.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tessera::runtime {

/// An element type; the values are the ONNX TensorProto.DataType numbers
/// (and the tessera_dtype values of the C API).
enum class DType : int32_t {
  Float32 = TESSERA_DTYPE_FLOAT32,
  UInt8 = TESSERA_DTYPE_UINT8,
  Int8 = TESSERA_DTYPE_INT8,
  UInt16 = TESSERA_DTYPE_UINT16,
  Int16 = TESSERA_DTYPE_INT16,
  Int32 = TESSERA_DTYPE_INT32,
  Int64 = TESSERA_DTYPE_INT64,
  Bool = TESSERA_DTYPE_BOOL,
  Float16 = TESSERA_DTYPE_FLOAT16,
  Float64 = TESSERA_DTYPE_FLOAT64,
  UInt32 = TESSERA_DTYPE_UINT32,
  UInt64 = TESSERA_DTYPE_UINT64,
};

/// Size in bytes of one element.
TESSERA_RT_EXPORT size_t dtypeSize(DType dtype);

/// Metadata name ("float32", "int64", "bool", ...).
TESSERA_RT_EXPORT std::string_view dtypeName(DType dtype);

/// Parses a metadata name; std::nullopt if unknown.
TESSERA_RT_EXPORT std::optional<DType> parseDTypeName(std::string_view name);

/// Maps an ONNX TensorProto data_type number; std::nullopt if unsupported.
TESSERA_RT_EXPORT std::optional<DType> dtypeFromOnnx(int32_t onnxType);

/// The ONNX TensorProto data_type number.
inline int32_t dtypeToOnnx(DType dtype) { return static_cast<int32_t>(dtype); }

/// The little-endian numpy descr string ("<f4", "|b1", ...).
TESSERA_RT_EXPORT std::string_view dtypeNpyDescr(DType dtype);

/// Parses a numpy descr string. Accepts '<', '=' and '|' byte orders (and
/// '>' for one-byte types); std::nullopt for anything else.
TESSERA_RT_EXPORT std::optional<DType>
dtypeFromNpyDescr(std::string_view descr);

/// True for float16/float32/float64.
TESSERA_RT_EXPORT bool isFloatingPoint(DType dtype);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_DTYPE_H
