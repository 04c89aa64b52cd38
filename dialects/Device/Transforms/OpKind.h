//===- OpKind.h - How dispatch formation treats an op --------*- C++ -*-===//
//
// The classification that tessera-form-dispatches groups ops by. It is a
// plain function over op types, kept apart from the pass so that other
// passes (and `--explain`) can ask the same question.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_DEVICE_TRANSFORMS_OPKIND_H
#define TESSERA_DIALECTS_DEVICE_TRANSFORMS_OPKIND_H

#include "llvm/ADT/StringRef.h"

namespace mlir {
class Operation;
} // namespace mlir

namespace tessera::device {

/// The role an op plays when ops are grouped into dispatch regions.
enum class OpKind {
  /// Starts a dispatch and absorbs elementwise producers and consumers:
  /// contractions (conv, conv_transpose, matmul, gemm, einsum), pooling,
  /// reductions (reduce_*, arg_max/arg_min) and softmax-like ops.
  Root,
  /// Computes each result element from the same (broadcast) elements of its
  /// operands: unary, binary, compare and logical ops, where, clip, cast,
  /// (de)quantization, bit_shift and inference-mode batch_norm. Fused into
  /// a neighbouring dispatch, or the seed of an "elementwise" dispatch.
  Elementwise,
  /// Any other Graph compute op (data movement, gather/scatter, top_k,
  /// cumsum, resize, ...): a dispatch of its own, which may take elementwise
  /// consumers.
  Standalone,
  /// Stays outside dispatches: shape-only ops (reshape, flatten), constants,
  /// ops with side effects (shape_check) and ops of other dialects.
  Outside,
};

/// How tessera-form-dispatches treats `op`.
OpKind classifyOp(mlir::Operation *op);

/// "root", "elementwise", "standalone" or "outside".
llvm::StringRef stringifyOpKind(OpKind kind);

} // namespace tessera::device

#endif // TESSERA_DIALECTS_DEVICE_TRANSFORMS_OPKIND_H
