//===- ImportNormalization.cpp - BatchNormalization and softmaxes ---------===//
//
// BatchNormalization (inference form only) and Softmax/LogSoftmax. Before
// opset 13 the softmaxes coerce their input to 2-D at `axis`; that is
// expressed as tg.flatten -> tg.softmax (axis 1) -> tg.reshape back.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/ReshapeUtils.h"

using namespace mlir;

namespace tessera::onnx {

static LogicalResult importBatchNorm(NodeContext &node) {
  if (failed(node.requireInputs(5)))
    return failure();
  for (unsigned i = 1; i < 5; ++i) {
    if (node.isOutputUsed(i)) {
      node.emitError() << "only inference is supported, but output " << i
                       << " ('" << node.getNode().output(i)
                       << "', a training statistic) is used";
      return failure();
    }
  }
  if (node.getInt("training_mode", 0) != 0) {
    node.emitError() << "training_mode = 1 is not supported";
    return failure();
  }
  if (node.getOpset() < 9 && node.getInt("spatial", 1) == 0) {
    node.emitError() << "spatial = 0 is not supported";
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<Value> operands;
  for (unsigned i = 0; i < 5; ++i)
    operands.push_back(node.getInput(i));
  FailureOr<Value> result = node.create<graph::BatchNormOp>(
      operands,
      {b.getNamedAttr("epsilon",
                      b.getF32FloatAttr(node.getFloat("epsilon", 1e-5f)))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

template <typename OpTy> static LogicalResult importSoftmax(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  Value input = node.getInput(0);
  RankedTensorType type = node.getInputType(0);
  auto axisAttr = [&](int64_t axis) {
    return b.getNamedAttr("axis", b.getI64IntegerAttr(axis));
  };
  if (node.getOpset() >= 13) {
    FailureOr<Value> result =
        node.create<OpTy>(input, {axisAttr(node.getInt("axis", -1))});
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }

  // Opsets < 13: softmax over the flattened dims [axis, rank).
  std::optional<int64_t> axis =
      graph::normalizeAxis(node.getInt("axis", 1), type.getRank());
  if (!axis && !(type.getRank() == 0)) {
    node.emitError() << "axis " << node.getInt("axis", 1)
                     << " is out of range for " << type;
    return failure();
  }
  if (!axis || *axis == type.getRank() - 1) {
    // Coercing at the last axis is the softmax over the last axis.
    FailureOr<Value> result = node.create<OpTy>(input, {axisAttr(-1)});
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }
  FailureOr<Value> flat =
      node.create<graph::FlattenOp>(input, {axisAttr(*axis)});
  if (failed(flat))
    return failure();
  FailureOr<Value> softmax = node.create<OpTy>(*flat, {axisAttr(1)});
  if (failed(softmax))
    return failure();
  FailureOr<Value> result = createReshapeTo(node, *softmax, type.getShape());
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

void registerNormalizationImporters(OpImporterRegistry &registry) {
  registry["BatchNormalization"] = importBatchNorm;
  registry["Softmax"] = importSoftmax<graph::SoftmaxOp>;
  registry["LogSoftmax"] = importSoftmax<graph::LogSoftmaxOp>;
}

} // namespace tessera::onnx
