//===- Lowering.h - Lowering steps shared by the compile drivers -*- C++ -*-===//
//
// Internal to lib/Compiler: the per-device lowering of Compiler.cpp, which
// the partitioned path (PartitionedModel.cpp) runs once per segment.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_COMPILER_LOWERING_H
#define TESSERA_LIB_COMPILER_LOWERING_H

#include "tessera/Compiler.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace tessera::driver {

/// Lowers `module` (linalg on tensors, one public model function) for one
/// device to the LLVM dialect.
mlir::LogicalResult lowerLinalgFor(mlir::ModuleOp module,
                                   llvm::StringRef device,
                                   const CompileOptions &options);

/// Lowers for the GPU `device`; when that fails, warns with the first error
/// (naming `what`: "the model", "segment 2 (...)") and lowers for the cpu.
/// `loweredFor`, when given, receives the device the code is for.
mlir::LogicalResult lowerLinalgWithFallback(mlir::ModuleOp module,
                                            llvm::StringRef device,
                                            const CompileOptions &options,
                                            llvm::StringRef what = "the model",
                                            std::string *loweredFor = nullptr);

/// The partitioned path of lowerModule, after graph-to-linalg: places the
/// dispatches over the `--target` devices, cuts the model into segments and
/// lowers each for its device into a nested module.
mlir::LogicalResult lowerPartitioned(mlir::ModuleOp module,
                                     const CompileOptions &options);

/// Whether `module` holds the segments of a partitioned model.
bool isPartitioned(mlir::ModuleOp module);

/// Writes one artifact per segment next to `outputPath` and the plan that
/// runs them (runtime/Plan.h) to `outputPath`.
mlir::LogicalResult emitPartitioned(mlir::ModuleOp module,
                                    const CompileOptions &options,
                                    llvm::StringRef outputPath);

} // namespace tessera::driver

#endif // TESSERA_LIB_COMPILER_LOWERING_H
