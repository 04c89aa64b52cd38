//===- Compiler.h - Tessera's compiler entry points -----------*- C++ -*-===//
//
// The end-to-end compiler API shared by tessera-compile and the Python
// module: lower an imported model to a requested stage and write the
// result (textual IR, LLVM IR, an object file, or the artifact library).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COMPILER_H
#define TESSERA_COMPILER_H

#include "tessera/Partition/Partition.h"
#include "tessera/Pipelines/Pipelines.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
class DialectRegistry;
class MLIRContext;
class ModuleOp;
} // namespace mlir

namespace tessera {

/// What the compiler stops at and writes out.
enum class EmitKind {
  Graph,  ///< Graph dialect after import and canonicalization.
  Linalg, ///< linalg/tensor IR.
  Device, ///< linalg/tensor IR placed over the --target devices
          ///< (tdev.placement attributes, tdev.transfer ops).
  LLVM,   ///< LLVM IR text of the model.
  Object, ///< Object file of the model code.
  Library, ///< The artifact: one shared library with the C ABI.
  SPIRV,   ///< The SPIR-V modules (Vulkan target), one .spv file each.
  PTX,     ///< The PTX modules (CUDA target), one .ptx file each.
  HLSCpp,  ///< The HLS C++ kernels (fpga-hls target), one .cpp file each.
};

/// Parses `graph|linalg|device|llvm|obj|lib|spirv|ptx|hls-cpp`.
std::optional<EmitKind> parseEmitKind(llvm::StringRef name);

/// A tile configuration the compiler chose for one op.
struct TileDecision {
  std::string op;       ///< Operation name, e.g. linalg.matmul.
  std::string node;     ///< ONNX node it came from ("" when unknown).
  std::string location; ///< Printed location.
  llvm::SmallVector<int64_t> parallel, reduction, vector;
  /// The op's loop extents (static), one per loop like the tile sizes.
  llvm::SmallVector<int64_t> loops;
  /// Whether the contraction reads its right-hand side packed (pack_rhs).
  bool packRhs = false;

  /// How many parallel tiles (scf.forall iterations) the thread pool
  /// shares: 1 when the op runs inline. Tiles are the final ones, after
  /// tessera-split-parallel-tiles.
  int64_t countParallelTiles() const;
  /// Why a cost model chose it (candidates, predictions, SHAP drivers);
  /// empty for the heuristic.
  std::string explanation;
};

/// The decisions a compilation made, for `--explain` and Python's
/// `CompiledModel.explain()`.
struct CompileDecisions {
  std::string target;
  std::vector<std::pair<std::string, std::string>> pipelines;
  std::vector<TileDecision> tiles;
  /// Target-specific lines (fpga-hls: the design chosen, budget use).
  std::vector<std::string> designNotes;
  /// The partitioner's plan, when the model was placed over several
  /// devices (printed by printDecisions / printDecisionsJSON).
  std::optional<partition::PartitionPlan> placement;
};

struct CompileOptions {
  EmitKind emit = EmitKind::Library;
  /// `cpu`, `vulkan` or `cuda`.
  std::string target = "cpu";
  CPUPipelineOptions cpu;
  /// Used for the GPU targets (its `target` field follows `target`).
  GPUPipelineOptions gpu;
  /// fpga-hls: FPGA profile (u250, zcu102 or a JSON file).
  std::string fpgaProfile = "u250";
  /// Folder holding libtessera_runtime.so; empty means next to the running
  /// tool (../lib relative to its bin/ folder) or $TESSERA_RUNTIME_DIR.
  std::string runtimeLibraryDir;
  /// Print the IR after every pass (for debugging pipelines).
  bool printIRAfterAll = false;
  /// Placement over several devices (--target=LIST|auto): profiles to
  /// simulate (--profiles), overrides (--placement) and the CPU cost model.
  /// `partition.targets` is filled from `target` by whoever partitions.
  partition::PartitionOptions partition;
  /// When set, lowerModule records its decisions here.
  CompileDecisions *decisions = nullptr;
};

/// Prints `decisions` for people (tessera-compile --explain).
void printDecisions(const CompileDecisions &decisions, llvm::raw_ostream &os);
/// The same as JSON, for tools (tessera-compile --explain-format=json).
void printDecisionsJSON(const CompileDecisions &decisions,
                        llvm::raw_ostream &os);

/// Lowers `module` (Graph dialect, as imported) in place to the stage that
/// `options.emit` names (LLVM dialect for LLVM/Object/Library). Errors are
/// emitted as diagnostics on the context.
mlir::LogicalResult lowerModule(mlir::ModuleOp module,
                                const CompileOptions &options);

/// Writes `module`, lowered by lowerModule, as `options.emit` asks to
/// `outputPath` ("-" for stdout with text kinds).
mlir::LogicalResult emitModule(mlir::ModuleOp module,
                               const CompileOptions &options,
                               llvm::StringRef outputPath);

/// Pieces of lowerModule that each target's compile driver reuses (the
/// FPGA target's lib/Target/HLS/HLSCompile.cpp).
/// Runs a textual `builtin.module(...)` pipeline with `options`' IR
/// printing and decision recording.
mlir::LogicalResult runPassPipeline(mlir::ModuleOp module,
                                    llvm::StringRef pipeline,
                                    const CompileOptions &options);
/// The model function: the module's public function definition, or null.
mlir::func::FuncOp findModelEntry(mlir::ModuleOp module);
/// Fails, naming each input with a symbolic dimension and the --shape flag
/// that fixes it.
mlir::LogicalResult checkStaticInputShapes(mlir::func::FuncOp entry);

} // namespace tessera

#endif // TESSERA_COMPILER_H
