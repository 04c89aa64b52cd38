//===- PackContractionOperands.h - Packed right-hand sides ------*- C++ -*-===//
//
// The tile-level half of operand packing. `tessera-pack-contraction-operands`
// makes a contraction read its right-hand side B[..., k, n] through a
// `linalg.unpack` of a packed copy P[..., n / w, k, w] (w: the register
// tile's width); once the contraction is tiled, `readPackedRhs` makes each
// cache tile read its slice of P directly, so the micro-kernel streams one
// contiguous panel of w columns instead of rows of B a full row apart.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_PACKCONTRACTIONOPERANDS_H
#define TESSERA_LIB_TARGET_CPU_PACKCONTRACTIONOPERANDS_H

#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Support/LogicalResult.h"

namespace mlir {
class Operation;
class RewriterBase;
} // namespace mlir

namespace tessera::cpu {

/// Rewrites `tile`, a cache tile of a contraction with reduction loop `k`
/// and vectorized loop `n` whose right-hand side is a slice of a
/// `linalg.unpack` made by `tessera-pack-contraction-operands`, into a
/// linalg.generic with one more loop (the panel index, last) that reads the
/// matching slice of the packed tensor and writes the output through a
/// tensor.expand_shape. `config` gets the new loop (register tile 1,
/// iterated where `n` was). Returns the new op, or failure (nothing
/// changed) when `tile` does not have that form.
mlir::FailureOr<mlir::Operation *> readPackedRhs(mlir::RewriterBase &rewriter,
                                                 mlir::Operation *tile,
                                                 unsigned k, unsigned n,
                                                 TileConfig &config);

/// Replaces the `linalg.unpack` ops of packed right-hand sides that are
/// still used (a tile that readPackedRhs could not rewrite) by their
/// upstream lowering, so that bufferization never sees them; erases the
/// unused ones.
void lowerRemainingUnpacks(mlir::RewriterBase &rewriter, mlir::Operation *root);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_PACKCONTRACTIONOPERANDS_H
