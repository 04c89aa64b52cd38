//===- ContractionKernel.h - Shared-memory tiled GPU contractions -*- C++ -*-===//
//
// Matrix products (and convolutions in their im2col form) as one kernel
// whose blocks stage tiles of both operands in workgroup memory and whose
// invocations each accumulate a small register tile of the output.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_GPU_CONTRACTIONKERNEL_H
#define TESSERA_LIB_TARGET_GPU_CONTRACTIONKERNEL_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace tessera::gpu {

/// Name of the attribute that overrides the tiling of a contraction kernel:
/// `{block = array<i64: BM, BN, BK>, thread = array<i64: TM, TN>}`.
inline constexpr llvm::StringLiteral kGPUTileConfigAttrName =
    "tessera.gpu_tile_config";

/// Tiling of a contraction kernel: a block computes a BM x BN output tile,
/// stepping through the reduction BK at a time; each invocation owns a
/// TM x TN register tile, so a block has (BM/TM)*(BN/TN) invocations.
struct ContractionTiling {
  int64_t blockM = 64, blockN = 64, blockK = 16;
  int64_t threadM = 4, threadN = 4;

  int64_t numThreads() const {
    return (blockM / threadM) * (blockN / threadN);
  }
  /// The op's override, or the default.
  static ContractionTiling get(mlir::linalg::LinalgOp op);
};

/// Which loop of a contraction is b (or -1), m, n and k.
struct ContractionLoops {
  int64_t batch = -1, m, n, k;
};

/// The loops of `op` when it is `C[b, m, n] += A[b, m, k] * B[b, k, n]` on
/// buffers with static shapes, in any operand layout (one m, n and k loop,
/// at most one batch loop, projected-permutation maps, a multiply-add body).
/// With `oneSidedBatch`, the batch loop may be one that only A or only B
/// indexes besides C (a convolution's image loop in im2col form).
std::optional<ContractionLoops>
matchContraction(mlir::linalg::LinalgOp op, bool oneSidedBatch = false);

/// Workgroup memory as memory space 3, the number both SPIR-V's Vulkan
/// storage-class mapping and NVVM (shared memory) read as workgroup.
inline constexpr int64_t kWorkgroupMemorySpace = 3;

/// A buffer type of `shape` in workgroup memory.
mlir::MemRefType workgroupBufferType(llvm::ArrayRef<int64_t> shape,
                                     mlir::Type elementType);

/// Replaces `op` (a matched contraction, static shapes) by one gpu.launch of
/// ceil(N / blockN) x ceil(M / blockM) x batches workgroups of `numThreads`
/// threads with two workgroup buffers (`aTile`, `bTile`), whose body
/// `buildBody` fills (the terminator is added after it). Both the SIMT and the
/// tensor-core kernels launch this grid. With `dynamicSharedBytes` the launch
/// has no workgroup attributions but that much dynamic shared memory (for
/// tiles over the 48 KiB of static shared memory), which the body takes
/// with gpu.dynamic_shared_memory.
void createContractionLaunch(
    mlir::linalg::LinalgOp op, const ContractionLoops &loops, int64_t blockM,
    int64_t blockN, int64_t numThreads, mlir::MemRefType aTile,
    mlir::MemRefType bTile,
    llvm::function_ref<void(mlir::OpBuilder &, mlir::gpu::LaunchOp)> buildBody,
    int64_t dynamicSharedBytes = 0);

/// Replaces `op` (on buffers, static shapes) by a tiled contraction kernel
/// when it is `C[b, m, n] += A[b, m, k] * B[b, k, n]` in any operand layout
/// (one m, n and k loop, at most one batch loop, a multiply-add body).
/// Returns false, leaving `op` alone, when it is not.
bool mapContractionToTiledKernel(mlir::linalg::LinalgOp op);

} // namespace tessera::gpu

#endif // TESSERA_LIB_TARGET_GPU_CONTRACTIONKERNEL_H
