//===- ContractionKernelBuilder.h - Kernel builder pieces -------*- C++ -*-===//
//
// What the builders of the contraction kernels (the SIMT kernel of
// ContractionKernel.cpp, the mma.sync kernel of TensorCoreKernel.cpp, the
// wgmma kernel of WgmmaKernel.cpp) share: index arithmetic at one location,
// the operand indices at a (b, m, n, k) point, and the bounds checks of
// partial tiles, which clamp reads into the operands.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_GPU_CONTRACTIONKERNELBUILDER_H
#define TESSERA_LIB_TARGET_GPU_CONTRACTIONKERNELBUILDER_H

#include "lib/Target/GPU/ContractionKernel.h"

#include "mlir/IR/Builders.h"

#include <utility>

namespace tessera::gpu {

/// Whether dimension `loop` is the last (contiguous) one of `operand`.
bool isInnermost(mlir::linalg::LinalgOp op, mlir::OpOperand &operand,
                 int64_t loop);

/// The element type of operand `index` of `op`.
mlir::Type operandElementType(mlir::linalg::LinalgOp op, unsigned index);

/// Base of a contraction kernel's builder; `b` is inside the gpu.launch.
class ContractionKernelBuilder {
protected:
  ContractionKernelBuilder(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::linalg::LinalgOp op,
                           const ContractionLoops &loops);

  /// Index arithmetic; each call creates its op (`add` of 0 returns x).
  mlir::Value index(int64_t v);
  mlir::Value add(mlir::Value x, int64_t v);
  mlir::Value add(mlir::Value x, mlir::Value y);
  mlir::Value mul(mlir::Value x, int64_t v);
  mlir::Value div(mlir::Value x, int64_t v);
  mlir::Value rem(mlir::Value x, int64_t v);

  /// Whether values of `loop` stepping by whole tiles of `tile` can leave
  /// its range (a partial last tile).
  bool needsCheck(int64_t loop, int64_t tile) const {
    return ranges[loop] % tile != 0;
  }

  /// Whether the innermost (contiguous) dimension of `operand` is `loop`.
  bool isInnermost(mlir::OpOperand &operand, int64_t loop) {
    return tessera::gpu::isInnermost(op, operand, loop);
  }

  /// Values of the op's loops with b, m, n, k set (other entries unused).
  llvm::SmallVector<mlir::Value> loopValues(mlir::Value batch, mlir::Value m,
                                            mlir::Value n, mlir::Value k);
  /// Indices of `operand` at the loop values `values` (one per op loop).
  llvm::SmallVector<mlir::Value> indicesOf(mlir::OpOperand &operand,
                                           llvm::ArrayRef<mlir::Value> values);
  /// Indices of `operand` at b, m, n, k.
  llvm::SmallVector<mlir::Value> indicesOf(mlir::OpOperand &operand,
                                           mlir::Value batch, mlir::Value m,
                                           mlir::Value n, mlir::Value k) {
    return indicesOf(operand, loopValues(batch, m, n, k));
  }

  /// Ands `value` < the extent of `loop` into `inBounds` (null while
  /// nothing is checked).
  void checkInRange(mlir::Value &inBounds, int64_t loop, mlir::Value value);
  /// checkInRange, then clamps `value` to at most the extent - `width`, so
  /// that a read of `width` elements from it stays inside the operand.
  void checkAndClamp(mlir::Value &inBounds, int64_t loop, mlir::Value &value,
                     int64_t width = 1);

  /// Indices of the piece of `width` elements (along `innerLoop`) of
  /// `operand` (A: rowLoop m, B: rowLoop n) at (row, k), for tiles of
  /// `rowTile` x `kTile`, clamped into the operand, and whether the piece's
  /// first element is inside it (null when every tile is whole; a piece
  /// lies in one row, whose length is a multiple of the width).
  std::pair<llvm::SmallVector<mlir::Value>, mlir::Value>
  pieceIndices(mlir::OpOperand &operand, int64_t rowLoop, int64_t rowTile,
               int64_t kTile, int64_t innerLoop, int64_t width, mlir::Value row,
               mlir::Value k);

  /// Whether (m, n) lies inside C, or null when every blockM x blockN tile
  /// is whole.
  mlir::Value outputInBounds(mlir::Value m, mlir::Value n, int64_t blockM,
                             int64_t blockN);

  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::linalg::LinalgOp op;
  ContractionLoops loops;
  /// The op's loop extents.
  llvm::SmallVector<int64_t> ranges;
  /// The block's batch index (block id z), which the kernel's build sets.
  mlir::Value batch;
};

} // namespace tessera::gpu

#endif // TESSERA_LIB_TARGET_GPU_CONTRACTIONKERNELBUILDER_H
