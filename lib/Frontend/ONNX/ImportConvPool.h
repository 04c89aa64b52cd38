//===- ImportConvPool.h - Conv import for other families --------*- C++ -*-===//
//
// The part of the Conv importer that other op families reuse: reading the
// window attributes of a Conv-like node (kernel_shape, strides, dilations,
// pads, auto_pad, group) and creating the tg.conv. ConvInteger and
// QLinearConv (ImportQuantization.cpp) call it with i32 operands.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_FRONTEND_ONNX_IMPORTCONVPOOL_H
#define TESSERA_LIB_FRONTEND_ONNX_IMPORTCONVPOOL_H

#include "lib/Frontend/ONNX/NodeContext.h"

namespace tessera::onnx {

/// Creates a tg.conv of `input` by `weight` (plus `bias`, which may be
/// null) with the window attributes of the node (ONNX Conv semantics,
/// auto_pad resolved against `input`'s static shape). Reports and fails on
/// invalid attributes.
mlir::FailureOr<mlir::Value> createConvFromNode(NodeContext &node,
                                                mlir::Value input,
                                                mlir::Value weight,
                                                mlir::Value bias);

} // namespace tessera::onnx

#endif // TESSERA_LIB_FRONTEND_ONNX_IMPORTCONVPOOL_H
