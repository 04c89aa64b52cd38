//===- MulAddContraction.h - out += lhs * rhs generics ---------*- C++ -*-===//
//
// The float multiply-add contraction that the convolution rewrites build
// and the tile-config heuristic recognizes.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_MULADDCONTRACTION_H
#define TESSERA_LIB_TARGET_CPU_MULADDCONTRACTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace tessera::cpu {

/// True if the body of `op` is `out + lhs * rhs` on floats.
bool isMulAddBody(mlir::linalg::LinalgOp op);

/// `init += lhs * rhs` as a linalg.generic with `maps` (lhs, rhs, init) over
/// parallel loops and one trailing reduction loop.
mlir::linalg::GenericOp
createMulAddContraction(mlir::OpBuilder &builder, mlir::Location loc,
                        mlir::Value lhs, mlir::Value rhs, mlir::Value init,
                        llvm::ArrayRef<mlir::AffineMap> maps);

/// The maps of a convolution as a contraction over loops (n, f, p, k):
/// filter W[f, k], input col[n, k, p], output out[n, f, p] with p = OH*OW
/// (the form tessera-convert-conv-to-im2col produces).
llvm::SmallVector<mlir::AffineMap>
getConvContractionMaps(mlir::MLIRContext *context);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_MULADDCONTRACTION_H
