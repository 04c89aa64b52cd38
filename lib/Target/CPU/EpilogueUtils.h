//===- EpilogueUtils.h - Contractions and their epilogues ------*- C++ -*-===//
//
// What the CPU passes that fuse a contraction with its elementwise
// epilogue agree on: which ops are contractions, and which consumer is a
// contraction's epilogue.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_TARGET_CPU_EPILOGUEUTILS_H
#define TESSERA_LIB_TARGET_CPU_EPILOGUEUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace tessera::cpu {

/// A linalg op with at least one reduction loop.
bool isContraction(mlir::Operation *op);

/// A generic with only parallel loops, one init and projected-permutation
/// maps: bias broadcasts, activations, residual adds.
bool isElementwiseLike(mlir::Operation *op);

/// The elementwise consumer of `contraction`'s result, if that result has
/// no other use and the consumer reads it through a permutation of its
/// loops, either as its init (an in-place update, identity map) or as a
/// transposed input (a non-identity permutation); the use is returned in
/// `use`.
mlir::linalg::GenericOp getEpilogue(mlir::linalg::LinalgOp contraction,
                                    mlir::OpOperand *&use);

} // namespace tessera::cpu

#endif // TESSERA_LIB_TARGET_CPU_EPILOGUEUTILS_H
