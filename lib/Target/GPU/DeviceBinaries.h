//===- DeviceBinaries.h - The device modules of a GPU artifact -*- C++ -*-===//
//
// After the GPU pipeline, each kernel module is a `gpu.binary` holding
// SPIR-V words or PTX/cubin/fatbin bytes; `--emit=spirv|ptx` writes them.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_GPU_DEVICEBINARIES_H
#define TESSERA_LIB_TARGET_GPU_DEVICEBINARIES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tessera::gpu {

/// Writes every object of every `gpu.binary` in `module` into `directory`
/// (created if needed) as `<binary>.spv` (SPIR-V), `<binary>.<chip>.ptx`
/// (PTX), `<binary>.<chip>.cubin` or `<binary>.fatbin`; none (with a warning)
/// when the model has no kernels.
mlir::LogicalResult writeDeviceBinaries(mlir::ModuleOp module,
                                        llvm::StringRef directory);

} // namespace tessera::gpu

#endif // TESSERA_LIB_TARGET_GPU_DEVICEBINARIES_H
