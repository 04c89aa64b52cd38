//===- ReshapeUtils.h - Reshape helpers of the op importers -----*- C++ -*-===//
//
// Builds reshapes to a known result shape: folded into a new constant when
// the input is an inline constant, otherwise a tg.reshape whose `shape`
// writes the static dims and -1 for (at most) one dynamic dim.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_FRONTEND_ONNX_RESHAPEUTILS_H
#define TESSERA_LIB_FRONTEND_ONNX_RESHAPEUTILS_H

#include "lib/Frontend/ONNX/NodeContext.h"

namespace tessera::onnx {

/// Reshapes `input` to `shape` (kDynamic entries for unknown dims).
mlir::FailureOr<mlir::Value> createReshapeTo(NodeContext &node,
                                             mlir::Value input,
                                             llvm::ArrayRef<int64_t> shape);

} // namespace tessera::onnx

#endif // TESSERA_LIB_FRONTEND_ONNX_RESHAPEUTILS_H
