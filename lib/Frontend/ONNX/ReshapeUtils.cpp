//===- ReshapeUtils.cpp - Reshape helpers of the op importers -------------===//
//
// Implements createReshapeTo: constant inputs fold, other inputs get a
// tg.reshape with an explicit shape.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/ReshapeUtils.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace tessera::onnx {

FailureOr<Value> createReshapeTo(NodeContext &node, Value input,
                                 llvm::ArrayRef<int64_t> shape) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  if (resultType == inputType)
    return input;
  if (auto constant = input.getDefiningOp<graph::ConstantOp>()) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (dense && resultType.hasStaticShape() &&
        resultType.getNumElements() == inputType.getNumElements())
      return node.createConstant(dense.reshape(resultType));
  }
  llvm::SmallVector<int64_t> shapeAttr(shape);
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1) {
    node.emitError() << "cannot reshape " << inputType << " to " << resultType
                     << ": more than one dynamic dimension";
    return failure();
  }
  for (int64_t &d : shapeAttr)
    if (ShapedType::isDynamic(d))
      d = -1;
  OpBuilder &b = node.getBuilder();
  return node.create<graph::ReshapeOp>(
      input, {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(shapeAttr)),
              b.getNamedAttr("allowzero", b.getBoolAttr(true))});
}

} // namespace tessera::onnx
