//===- Artifact.h - CPU artifact emission --------------------*- C++ -*-===//
//
// The pieces of CPU artifact emission: the metadata text of the artifact
// ABI, LLVM IR and object code for the host CPU, and the link step that
// makes the shared library.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_ARTIFACT_H
#define TESSERA_LIB_TARGET_CPU_ARTIFACT_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir {
class ModuleOp;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace tessera::cpu {

/// Attribute on the model function that carries the metadata text until
/// the ABI entry points are emitted.
inline constexpr llvm::StringLiteral kArtifactMetadataAttr =
    "tessera.artifact_metadata";

/// Prepares the tensor-level model function for the artifact ABI: records
/// the metadata text of include/tessera-c/Artifact.h (names from its
/// `tessera.input_names` / `tessera.output_names` attributes, input<i> /
/// output<i> when absent; dtypes and static shapes from its type) and marks
/// the inputs read-only for bufferization, since they are the caller's
/// buffers. Fails with a diagnostic on a dynamic shape or an unsupported
/// element type.
mlir::LogicalResult prepareArtifactEntry(mlir::func::FuncOp func,
                                         llvm::StringRef targetLine);

/// A TargetMachine for the host CPU with all its features.
std::unique_ptr<llvm::TargetMachine> createHostTargetMachine(unsigned optLevel);

/// The `target cpu NAME FEATURES` line describing `machine`.
std::string describeTarget(llvm::TargetMachine &machine);

/// Translates an LLVM-dialect module to LLVM IR for `machine` and runs the
/// LLVM optimization pipeline at `optLevel`.
std::unique_ptr<llvm::Module> translateAndOptimize(mlir::ModuleOp module,
                                                   llvm::LLVMContext &context,
                                                   llvm::TargetMachine &machine,
                                                   unsigned optLevel);

/// Writes `module` as an object file to `path`.
mlir::LogicalResult writeObjectFile(llvm::Module &module,
                                    llvm::TargetMachine &machine,
                                    llvm::StringRef path);

/// Links `objectPath` into the shared library `outputPath` against
/// libtessera_runtime in `runtimeDir`, with the system C compiler driver.
mlir::LogicalResult linkArtifact(mlir::ModuleOp module,
                                 llvm::StringRef objectPath,
                                 llvm::StringRef runtimeDir,
                                 llvm::StringRef outputPath);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_ARTIFACT_H
