//===- TensorCoreKernel.h - Warp-level tensor-core contractions -*- C++ -*-===//
//
// Matrix products on NVIDIA tensor cores: each warp of a block accumulates a
// tile of the output with `mma.sync` (nvgpu.mma.sync for f16 and TF32,
// nvvm.mma.sync for bf16), its operand fragments read from tiles staged in
// workgroup memory. CUDA only: the kernel holds NVGPU/NVVM operations.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_GPU_TENSORCOREKERNEL_H
#define TESSERA_LIB_TARGET_GPU_TENSORCOREKERNEL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>
#include <string>

namespace tessera::gpu {

/// The `mma` entry of `tessera.gpu_tile_config` that selects the kernel.
inline constexpr llvm::StringLiteral kMmaF16 = "m16n8k16";
inline constexpr llvm::StringLiteral kMmaTF32 = "m16n8k8.tf32";
/// Hopper's warpgroup MMA (sm_90a only; see WgmmaKernel.cpp).
inline constexpr llvm::StringLiteral kMmaWgmma = "wgmma";

/// Tiling of a tensor-core kernel, written on the op as
/// `tessera.gpu_tile_config = {mma = "m16n8k16", block = array<i64: BM, BN,
/// BK>, warps = array<i64: WM, WN>}`: a block computes a BM x BN output tile
/// with WM x WN warps, each owning a (BM/WM) x (BN/WN) tile made of 16 x 8
/// mma.sync accumulators, and steps through the reduction BK at a time.
/// `stages = 2` (written only when not 1) double-buffers the staged tiles:
/// one barrier per BK step, the next tile's stores overlapping this one's
/// mma work. `copy = "async"` copies the tiles with cp.async straight into
/// workgroup memory, `stages` (2 to 4) tiles in flight, no registers.
struct TensorCoreTiling {
  /// m16n8k16 (f16, bf16) or m16n8k8 with TF32 (f32 operands).
  bool tf32 = false;
  int64_t blockM = 128, blockN = 128, blockK = 32;
  int64_t warpsM = 2, warpsN = 4;
  int64_t stages = 1;
  bool asyncCopy = false;
  /// 8 x 8 matrices per ldmatrix of B fragments: 2 (one fragment) or 4
  /// (two neighbouring fragments; written as `ldmatrix_b_tiles = 4`).
  int64_t bLoadTiles = 2;
  /// `mma = "wgmma"`: the sm_90a kernel of WgmmaKernel.cpp, one warpgroup
  /// per 64 rows of the block, `stages` cp.async stages of BK 64 in
  /// 128-byte swizzled tiles (warps, copy and ldmatrix_b_tiles unused).
  bool wgmma = false;
  /// wgmma: keep one k-tile's wgmma in flight across the barrier (copies
  /// then run stages - 2 tiles ahead; written as `wgmma_overlap = true`).
  bool wgmmaOverlap = false;

  int64_t mmaK() const { return tf32 ? 8 : 16; }
  int64_t numThreads() const {
    return wgmma ? 128 * (blockM / 64) : 32 * warpsM * warpsN;
  }
  /// Accumulators per warp along m (16 rows each) and n (8 columns each).
  int64_t fragmentsM() const { return blockM / warpsM / 16; }
  int64_t fragmentsN() const { return blockN / warpsN / 8; }

  /// The op's tensor-core config, if its `tessera.gpu_tile_config` has one.
  static std::optional<TensorCoreTiling> get(mlir::linalg::LinalgOp op);
  /// The attribute that selects this tiling.
  mlir::DictionaryAttr toAttr(mlir::MLIRContext *context) const;
  /// One line for --explain: instruction, types, tiles.
  std::string describe(mlir::Type operandType) const;
  /// Why the tiling cannot be used for `operandType` operands, or "".
  std::string check(mlir::Type operandType) const;
};

/// Whether `op` is a contraction (see matchContraction) that tensor cores
/// can compute: f16 or bf16 operands and result, or f32 when `allowTF32`.
bool canUseTensorCores(mlir::linalg::LinalgOp op, bool allowTF32);

/// The default tiling for `op` (which canUseTensorCores accepted).
TensorCoreTiling chooseTensorCoreTiling(mlir::linalg::LinalgOp op);

/// Replaces `op` (see canUseTensorCores) by a tensor-core kernel with
/// `tiling`; with `fromZero` the kernel computes A * B without reading C
/// (the caller dropped a zero fill of C). Fails with an error on the op
/// when the tiling is invalid.
mlir::LogicalResult mapContractionToTensorCores(mlir::linalg::LinalgOp op,
                                                const TensorCoreTiling &tiling,
                                                bool fromZero = false);

/// Why the wgmma kernel cannot compute `op` (which canUseTensorCores
/// accepted), or "": it needs f16 or bf16 operands, A and B each contiguous
/// along k or along their own row loop (m, n), in 16-byte pieces (static
/// strides and offset, and that loop's extent, multiples of 8 elements).
std::string whyNotWgmma(mlir::linalg::LinalgOp op);

/// Replaces `op` by the wgmma kernel with `tiling` (tiling.wgmma, checked);
/// `fromZero` as for mapContractionToTensorCores.
mlir::LogicalResult mapContractionToWgmma(mlir::linalg::LinalgOp op,
                                          const TensorCoreTiling &tiling,
                                          bool fromZero = false);

/// The CUDA architecture wgmma kernels compile for.
inline constexpr llvm::StringLiteral kWgmmaArch = "sm_90a";

} // namespace tessera::gpu

#endif // TESSERA_LIB_TARGET_GPU_TENSORCOREKERNEL_H
