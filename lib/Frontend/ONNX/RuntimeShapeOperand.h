//===- RuntimeShapeOperand.h - Shape-like inputs known at run time -*- C++ -*-===//
//
// Expand, Tile, Squeeze, Unsqueeze, Split and ConstantOfShape take a
// shape-like input. When a model computes it at run time but records static
// output shapes, the importer builds the op from the recorded shapes and adds
// a tg.shape_check, so that an input that disagrees fails the run instead of
// giving a wrong answer.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_FRONTEND_ONNX_RUNTIMESHAPEOPERAND_H
#define TESSERA_LIB_FRONTEND_ONNX_RUNTIMESHAPEOPERAND_H

#include "lib/Frontend/ONNX/NodeContext.h"

namespace tessera::onnx {

/// The recorded static type of output `resultIndex`, needed because input
/// `operandIndex` (named `what`) is computed at run time; reports what to do
/// when the model records none.
mlir::FailureOr<mlir::RankedTensorType>
getRecordedOutputType(NodeContext &node, unsigned resultIndex,
                      unsigned operandIndex, llvm::StringRef what);

/// Adds `tg.shape_check` of input `operandIndex` (named `what`) with rule
/// `kind` (see the op) from `inputShape` to `resultShape`.
mlir::LogicalResult addShapeCheck(NodeContext &node, unsigned operandIndex,
                                  llvm::StringRef what, llvm::StringRef kind,
                                  llvm::ArrayRef<int64_t> inputShape,
                                  llvm::ArrayRef<int64_t> resultShape);

} // namespace tessera::onnx

#endif // TESSERA_LIB_FRONTEND_ONNX_RUNTIMESHAPEOPERAND_H
