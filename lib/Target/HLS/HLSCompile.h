//===- HLSCompile.h - The FPGA (HLS C++) target --------------*- C++ -*-===//
//
// Entry points of the `fpga-hls` target for lib/Compiler: lowering a model
// to HLS kernels plus a host schedule, and writing either the HLS C++
// (--emit=hls-cpp) or the C-simulation artifact (the kernels compiled by
// the host C++ compiler, linked with the host schedule).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_HLS_HLSCOMPILE_H
#define TESSERA_LIB_TARGET_HLS_HLSCOMPILE_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tessera {
struct CompileOptions;
} // namespace tessera

namespace tessera::hls {

/// Module attribute holding the kernels' C++ (file name -> text) between
/// lowering and emission, once the kernels are declarations of the host.
inline constexpr llvm::StringLiteral kCSimSourcesAttr = "tessera.hls_sources";

/// linalg on tensors → HLS kernels (affine loops with directives) and the
/// model function as their host schedule, on buffers.
std::string getLinalgToHLSPipeline(llvm::StringRef profile);

/// Host schedule (kernels as external declarations) → LLVM dialect with
/// the artifact ABI for the model function `entry`.
std::string getHLSHostToLLVMPipeline(llvm::StringRef entry);

/// lowerModule for `--target=fpga-hls`.
mlir::LogicalResult lowerModuleForHLS(mlir::ModuleOp module,
                                      const CompileOptions &options);

/// emitModule for `--target=fpga-hls`: the HLS C++ into the folder
/// `outputPath`, or the C-simulation artifact linked against the runtime
/// in `runtimeDir`.
mlir::LogicalResult emitModuleForHLS(mlir::ModuleOp module,
                                     const CompileOptions &options,
                                     llvm::StringRef outputPath,
                                     llvm::StringRef runtimeDir);

} // namespace tessera::hls

#endif // TESSERA_LIB_TARGET_HLS_HLSCOMPILE_H
