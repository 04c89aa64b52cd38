//===- DepthwiseConv.h - Tile configs of depthwise convolutions -*- C++ -*-===//
//
// The tile-config heuristic for depthwise convolutions in the elementwise
// form that `tessera-decompose-depthwise-conv` produces (and that elementwise
// fusion may have grown with a bias and an activation), and the vector
// rewrite that keeps the reads of a strided convolution's input contiguous.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_DEPTHWISECONV_H
#define TESSERA_LIB_TARGET_CPU_DEPTHWISECONV_H

#include "lib/Target/CPU/TileConfig.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace tessera::cpu {

/// True if `op` is a decomposed NCHW depthwise convolution: an
/// all-parallel rank-4 linalg op on tensors that reads at least two windows
/// (tensor.extract_slice) of one tensor through identity maps. Its windows
/// are not contiguous, so collapsing its dimensions would copy them.
bool isDecomposedDepthwiseConv(mlir::Operation *op);

/// A config for `op` if it is a decomposed NCHW depthwise convolution:
/// parallel tiles over channels for the thread pool and a
/// register tile of one output row segment along `ow`, the contiguous
/// dimension, sized by the vector width. std::nullopt for any other op.
std::optional<TileConfig>
selectDepthwiseTileConfig(mlir::Operation *op, const CPUTargetInfo &target);

/// Adds a pattern that reads a window with a non-unit innermost stride
/// (the input of a strided convolution) as one contiguous vector and picks
/// every stride-th lane with a vector.shuffle. Without it, such a
/// vector.transfer_read on a strided slice becomes one scalar load per lane.
/// Applies to reads of a single row (all vector dimensions but the last of
/// size 1) through extract_slices of a tensor, after vectorization.
void populateStridedRowReadPatterns(mlir::RewritePatternSet &patterns);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_DEPTHWISECONV_H
