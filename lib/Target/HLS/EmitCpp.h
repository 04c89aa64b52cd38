//===- EmitCpp.h - HLS C++ emission --------------------------*- C++ -*-===//
//
// Translates the `thls.kernel` functions of a module (affine loops on
// memrefs with `thls` directives) to Vitis-HLS-style C++: one file per
// kernel with an `extern "C"` top function and its `#pragma HLS` lines,
// plus a header declaring them all.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_HLS_EMITCPP_H
#define TESSERA_LIB_TARGET_HLS_EMITCPP_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tessera::hls {

/// Name of the header that declares every kernel.
inline constexpr llvm::StringLiteral kKernelHeaderName = "tessera_kernels.h";

struct HLSFile {
  std::string name; ///< `<kernel>.cpp` or the header name.
  std::string text;
};

/// Emits the C++ of every kernel of `module` and the header (last). Errors
/// are diagnostics on the op that cannot be expressed.
mlir::LogicalResult emitHLSCpp(mlir::ModuleOp module,
                               std::vector<HLSFile> &files);

/// Writes `files` into the folder `dir` (created if needed).
mlir::LogicalResult writeHLSFiles(mlir::ModuleOp module,
                                  const std::vector<HLSFile> &files,
                                  llvm::StringRef dir);

} // namespace tessera::hls

#endif // TESSERA_LIB_TARGET_HLS_EMITCPP_H
