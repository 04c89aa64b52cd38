//===- TensorConversion.h - ONNX tensors and types to MLIR ------*- C++ -*-===//
//
// Converts ONNX element types, value types and TensorProto payloads into MLIR
// types and ElementsAttr (inline dense for small tensors, dense_resource blobs
// for weights).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_FRONTEND_ONNX_TENSORCONVERSION_H
#define TESSERA_LIB_FRONTEND_ONNX_TENSORCONVERSION_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"
#include <onnx/onnx_pb.h>
#include <optional>
#include <string>

namespace tessera::onnx {

/// Tensors with at most this many elements become inline DenseElementsAttr
/// (so that folders see them); larger ones become dense_resource blobs.
constexpr int64_t kMaxInlineElements = 16;

/// Maps an ONNX TensorProto::DataType to an MLIR element type; a null type
/// for types the importer does not support.
mlir::Type convertElementType(int32_t onnxType, mlir::MLIRContext *ctx);

/// Human-readable ONNX data type name ("float32", "int64", ...).
std::string onnxTypeName(int32_t onnxType);

/// Converts a value type (tensor type with an optional shape) to a ranked
/// tensor type; symbolic/unknown dims become dynamic. Emits an error at
/// `loc` (mentioning `what`) and returns nullptr when unsupported.
mlir::RankedTensorType convertTensorType(const ::onnx::TypeProto &type,
                                         llvm::StringRef what,
                                         mlir::Location loc);

/// Converts a TensorProto (data already inline: raw_data or typed fields) to
/// an ElementsAttr. `blobName` names the resource blob used for large
/// tensors. Emits an error at `loc` and returns nullptr on bad data.
mlir::ElementsAttr convertTensor(const ::onnx::TensorProto &tensor,
                                 llvm::StringRef blobName, mlir::Location loc);

/// Makes a string usable as a resource blob key.
std::string sanitizeBlobName(llvm::StringRef name);

/// Reads the integer elements of a constant attribute (inline dense or an
/// i32/i64 resource); std::nullopt if it is not an integer constant.
std::optional<llvm::SmallVector<int64_t>>
getIntegerValues(mlir::ElementsAttr attr);

/// Reads the elements of a constant attribute as doubles (floats or
/// integers); std::nullopt if unreadable.
std::optional<llvm::SmallVector<double>>
getDoubleValues(mlir::ElementsAttr attr);

} // namespace tessera::onnx

#endif // TESSERA_LIB_FRONTEND_ONNX_TENSORCONVERSION_H
