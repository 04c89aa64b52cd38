//===- RuntimeShapeOperand.cpp - Shape-like inputs known at run time ------===//
//
// The recorded output type of a node whose shape-like input is computed at
// run time, and the tg.shape_check that keeps trusting it safe.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/RuntimeShapeOperand.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace tessera::onnx {

FailureOr<RankedTensorType> getRecordedOutputType(NodeContext &node,
                                                  unsigned resultIndex,
                                                  unsigned operandIndex,
                                                  llvm::StringRef what) {
  RankedTensorType type = node.getDeclaredOutputType(resultIndex);
  if (type)
    return type;
  const ::onnx::NodeProto &proto = node.getNode();
  node.emitError() << "the '" << what << "' input '"
                   << proto.input(operandIndex)
                   << "' is computed at run time and the model records no "
                      "static shape for output '"
                   << proto.output(resultIndex)
                   << "'; make the input a constant (e.g. export with "
                      "constant folding) or record the output's shape";
  return failure();
}

LogicalResult addShapeCheck(NodeContext &node, unsigned operandIndex,
                            llvm::StringRef what, llvm::StringRef kind,
                            llvm::ArrayRef<int64_t> inputShape,
                            llvm::ArrayRef<int64_t> resultShape) {
  OpBuilder &b = node.getBuilder();
  auto check = graph::ShapeCheckOp::create(
      b, node.getLoc(), node.getInput(operandIndex), b.getStringAttr(kind),
      b.getDenseI64ArrayAttr(inputShape), b.getDenseI64ArrayAttr(resultShape),
      b.getStringAttr(what));
  // A bad model (e.g. a shape input of the wrong rank) fails here with the
  // verifier's message.
  return mlir::verify(check);
}

} // namespace tessera::onnx
