//===- ConvertConvToIm2col.h - Im2col tiles in contractions -----*- C++ -*-===//
//
// The tile-level half of the im2col rewrite. `tessera-convert-conv-to-im2col`
// writes the im2col copy as col[n, c, kh, kw, oh, ow] and the contraction
// reads its collapsed view col[n, c*kh*kw, oh*ow]. Once the contraction is
// tiled, `fuseIm2colTiles` makes each cache tile compute the slice of col it
// reads right before reading it: one [k x p] tile of the im2col matrix lives
// in L2 at a time instead of the whole matrix (7 MB for ResNet's first 3x3
// layers) going to memory and back.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_CONVERTCONVTOIM2COL_H
#define TESSERA_LIB_TARGET_CPU_CONVERTCONVTOIM2COL_H

#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace mlir {
class Operation;
class OpOperand;
class RewriterBase;
} // namespace mlir

namespace tessera::cpu {

/// For an input `operand` of a contraction that reads the collapsed view of
/// an im2col copy: per dimension of the operand, the number of consecutive
/// indices that one index of the copy's outermost dimension in that group
/// spans (KH*KW along c*kh*kw, OW along oh*ow, 1 elsewhere). A tile of the
/// operand is a tile of the copy when its offsets and sizes are multiples.
/// Empty when the operand has another producer.
llvm::SmallVector<int64_t> getIm2colGroupSizes(mlir::OpOperand &operand);

/// Replaces each input of `tile` (a cache tile of a contraction tiled with
/// `config`'s parallel and reduction sizes) that is a slice of the collapsed
/// view of an im2col copy by that tile of the copy, computed in place, when
/// the tile sizes are multiples of getIm2colGroupSizes (so that every
/// offset is too). Inputs that do not qualify are left as they are.
void fuseIm2colTiles(mlir::RewriterBase &rewriter, mlir::Operation *tile,
                     const TileConfig &config);

/// Lowers `op`, a static-shape tile of an im2col copy (a gather copy whose
/// input map is a sum of loops times non-negative constants, the innermost
/// loop in the last input index only), to loops over its rows that copy one
/// row as a vector; fails and leaves `op` alone otherwise. fuseIm2colTiles
/// applies it to the tiles it fuses, tessera-tile-and-vectorize to the
/// parallel tiles of a copy that is computed whole.
mlir::LogicalResult vectorizeIm2colCopyRows(mlir::RewriterBase &rewriter,
                                            mlir::Operation *op);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_CONVERTCONVTOIM2COL_H
