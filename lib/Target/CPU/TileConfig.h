//===- TileConfig.h - Tile configurations of CPU kernels -------*- C++ -*-===//
//
// One place that decides how a linalg op is tiled and vectorized on the CPU:
// tile sizes per level (parallel tiles spread over threads, a cache tile of
// the reduction, the register tile that becomes vector code) for each loop
// of the op's iteration space. The decision is an attribute on the op,
// `tessera.tile_config`, written by `tessera-select-tile-config` and read by
// `tessera-tile-and-vectorize`, so it shows in the IR and can be edited.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_TILECONFIG_H
#define TESSERA_LIB_TARGET_CPU_TILECONFIG_H

#include "cost-model/Workload.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir {
class DictionaryAttr;
class MLIRContext;
class OpOperand;
class Operation;
} // namespace mlir

namespace tessera::cpu {

/// Name of the attribute that holds a TileConfig on a linalg op.
inline constexpr llvm::StringLiteral kTileConfigAttrName =
    "tessera.tile_config";

/// What the heuristic knows about the CPU.
struct CPUTargetInfo {
  /// Number of f32 lanes of one vector register (16 with AVX-512).
  int64_t vectorWidth = 16;
};

/// Tile sizes of a linalg op, one entry per loop of its iteration space; 0
/// leaves a loop untiled at that level.
struct TileConfig {
  /// Outermost tiles, distributed over threads (an scf.forall).
  llvm::SmallVector<int64_t> parallel;
  /// Cache tiles of the reduction loops (scf.for inside a parallel tile).
  llvm::SmallVector<int64_t> reduction;
  /// The register tile: each one becomes straight-line vector code.
  llvm::SmallVector<int64_t> vector;
  /// Order of the loops over register tiles, outermost first (a
  /// permutation of the op's loops); empty keeps the op's loop order.
  /// Sweeping the register tiles of one B panel before moving to the next
  /// keeps that panel in L1.
  llvm::SmallVector<int64_t> order;
  /// Whether the right-hand side of a contraction is read from a packed
  /// copy, panels of register-tile width stored one after the other
  /// (`tessera-pack-contraction-operands`), instead of in place. Rows of B
  /// that are a multiple of 1 KiB apart map to the same few L1 sets; packed,
  /// the micro-kernel streams each panel contiguously.
  bool packRhs = false;

  /// `{parallel = array<i64: ...>, reduction = ..., vector = ...,
  /// order = ..., pack_rhs}` (order and pack_rhs optional).
  mlir::DictionaryAttr toAttr(mlir::MLIRContext *context) const;
  /// Reads the dictionary form; std::nullopt if a field is missing or its
  /// length is not `numLoops`.
  static std::optional<TileConfig> fromAttr(mlir::DictionaryAttr attr,
                                            unsigned numLoops);
  /// The config `op` carries as `tessera.tile_config`; std::nullopt when it
  /// has none or it is invalid (see fromAttr).
  static std::optional<TileConfig> fromOp(mlir::Operation *op,
                                          unsigned numLoops);
};

/// How many parallel tiles (scf.forall iterations) `parallel` makes of
/// loops of extents `bounds` (a 0 tile is the whole loop).
int64_t countParallelTiles(llvm::ArrayRef<int64_t> parallel,
                           llvm::ArrayRef<int64_t> bounds);

/// The heuristic: a config for `op` (a linalg op) on `target`, or
/// std::nullopt when the op is left to the scalar lowering. Handles
/// contractions whose last output dimension is the contiguous dimension of
/// the right-hand side (matmul, the im2col form of convolutions, batch
/// matmul).
std::optional<TileConfig> selectTileConfig(mlir::Operation *op,
                                           const CPUTargetInfo &target);

/// The packing heuristic: whether the contraction `op` tiled with `config`
/// should read its right-hand side packed. The tiles must cover whole
/// panels (register-tile width along n) at aligned offsets. A constant B is
/// packed at compile time, so it is packed whenever K >= 32; a B computed at
/// run time costs one copy per call, which pays when its rows alias in L1
/// (a row stride that is a multiple of 2 KiB, K >= 64), except for an
/// im2col matrix, which the cache tiles compute slice by slice instead.
bool shouldPackRhs(mlir::Operation *op, const TileConfig &config);

/// The loops of the contraction `op` that packing uses: its reduction loop
/// `k` and its vectorized loop `n`; std::nullopt unless `op` is a
/// contraction that selectTileConfig gives register tiles.
std::optional<std::pair<unsigned, unsigned>>
getContractionKN(mlir::Operation *op);

/// Whether `op` is a gather copy: an all-parallel linalg.generic with one
/// input and an identity output map whose body yields the input element
/// unchanged, such as the im2col copy of a convolution.
bool isGatherCopy(mlir::Operation *op);

/// The input of the linalg op `op` whose indexing map ends with loops
/// (k, n), the right-hand side that packing copies; nullptr if the input
/// whose last dimension is `n` has another map.
mlir::OpOperand *getPackableRhs(mlir::Operation *op, unsigned k, unsigned n);

//===----------------------------------------------------------------------===//
// The candidate space and the cost model's view of an op
//===----------------------------------------------------------------------===//

/// The cost model's description of `op` (loops, reductions, the loops each
/// operand reads, loop roles), or std::nullopt for the ops that no tile
/// config applies to (the same ops selectTileConfig rejects, except that
/// small elementwise ops are described too).
std::optional<costmodel::Workload> getWorkload(mlir::Operation *op);

/// The configs the `model`, `tune` and `candidate` policies choose from:
/// the heuristic's choice first (an empty TileSizes when the heuristic
/// leaves the op untiled), then costmodel::enumerateCandidates without
/// duplicates.
std::vector<costmodel::TileSizes>
getCandidateConfigs(mlir::Operation *op, const costmodel::Workload &workload,
                    const CPUTargetInfo &target);

costmodel::TileSizes toTileSizes(const TileConfig &config);
/// std::nullopt for an empty TileSizes (no config).
std::optional<TileConfig> fromTileSizes(const costmodel::TileSizes &sizes);

/// The op of `scope` with the most floating-point work among those with a
/// workload: the kernel a one-op tuning workload measures.
mlir::Operation *findTuningRoot(mlir::Operation *scope);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_TILECONFIG_H
