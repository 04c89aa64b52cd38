//===- ONNXImporter.h - ONNX protobuf to Graph dialect ----------*- C++ -*-===//
//
// Public entry points of the ONNX frontend: read a serialized ONNX model and
// translate its main graph into one `func.func` of Graph dialect (`tg`) ops.
// Errors are reported as diagnostics on the given context; the importer never
// aborts on bad input.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_FRONTEND_ONNXIMPORTER_H
#define TESSERA_FRONTEND_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace tessera::onnx {

/// Options of an import.
struct ImportOptions {
  /// --shape NAME=DIMS: fixes (symbolic) dims of named graph inputs. A
  /// negative entry keeps the model's dimension.
  llvm::StringMap<llvm::SmallVector<int64_t>> shapeOverrides;
  /// Name of the generated function.
  std::string entryName = "main";
};

/// Reads a .onnx file (external data resolved relative to its folder). On
/// error, emits diagnostics through `ctx` and returns nullptr.
mlir::OwningOpRef<mlir::ModuleOp> importONNXFile(llvm::StringRef path,
                                                 mlir::MLIRContext &ctx,
                                                 const ImportOptions &options);

/// Same from serialized bytes. External data is resolved relative to
/// `baseDir`; an empty `baseDir` allows no external data.
mlir::OwningOpRef<mlir::ModuleOp> importONNXBytes(llvm::StringRef bytes,
                                                  llvm::StringRef baseDir,
                                                  mlir::MLIRContext &ctx,
                                                  const ImportOptions &options);

} // namespace tessera::onnx

#endif // TESSERA_FRONTEND_ONNXIMPORTER_H
