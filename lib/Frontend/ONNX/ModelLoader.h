//===- ModelLoader.h - Reading and validating ONNX models -------*- C++ -*-===//
//
// Parses serialized ModelProtos, resolves external tensor data, checks the
// opset imports, orders the graph topologically, and runs libonnx's checker
// and shape inference with their exceptions turned into diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_FRONTEND_ONNX_MODELLOADER_H
#define TESSERA_LIB_FRONTEND_ONNX_MODELLOADER_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include <onnx/onnx_pb.h>

namespace tessera::onnx {

/// The newest default-domain opset this importer (and libonnx) knows.
constexpr int64_t kMaxKnownOpset = 17;

/// Parses `bytes` into `model`. `displayName` names the source in errors.
mlir::LogicalResult parseModel(llvm::StringRef bytes,
                               llvm::StringRef displayName,
                               ::onnx::ModelProto &model, mlir::Location loc);

/// Checks the opset imports: a default-domain import is required; a newer
/// opset than known gives a warning.
mlir::LogicalResult checkOpsetImports(const ::onnx::ModelProto &model,
                                      mlir::Location loc);

/// Replaces external data references of the main graph's initializers and
/// Constant node values by inline raw_data read from files under `baseDir`.
mlir::LogicalResult resolveExternalData(::onnx::ModelProto &model,
                                        llvm::StringRef baseDir,
                                        mlir::Location loc);

/// Names unnamed nodes `<OpType>_<index>` and reorders the main graph's
/// nodes topologically (keeping the given order where possible). Reports
/// undefined values, values defined twice and cycles.
mlir::LogicalResult sortGraph(::onnx::GraphProto &graph, mlir::Location loc);

/// Runs onnx::checker::check_model; reports `invalid ONNX model: ...`.
mlir::LogicalResult checkModel(const ::onnx::ModelProto &model,
                               mlir::Location loc);

/// Rejects what would crash ONNX shape inference (libonnx 1.12): a stride,
/// dilation, block size or group below 1, or a convolution whose declared
/// input and weight ranks differ. Names the node.
mlir::LogicalResult checkAttributeValues(const ::onnx::ModelProto &model,
                                         mlir::Location loc);

/// Runs ONNX shape inference; a failure is only a warning. Convolutions are
/// checked inside it, before libonnx infers each one: an input and weight of
/// different ranks (known only once inference has reached the node) is an
/// error naming the node.
mlir::LogicalResult inferShapes(::onnx::ModelProto &model, mlir::Location loc);

} // namespace tessera::onnx

#endif // TESSERA_LIB_FRONTEND_ONNX_MODELLOADER_H
