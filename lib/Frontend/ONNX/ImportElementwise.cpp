//===- ImportElementwise.cpp - Elementwise ONNX ops -----------------------===//
//
// Add/Sub/Mul/Div (including the axis broadcasting of opsets < 7), Relu,
// LeakyRelu, Sigmoid, Tanh and Clip (attribute bounds before opset 11,
// constant input bounds since).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "lib/Frontend/ONNX/NodeContext.h"

using namespace mlir;

namespace tessera::onnx {

/// Opsets < 7 broadcast B onto A from `axis` when `broadcast` is set;
/// reshapes B with trailing 1s so that numpy broadcasting does the same.
static FailureOr<Value> legacyBroadcastRhs(NodeContext &node, Value lhs,
                                           Value rhs) {
  if (node.getOpset() >= 7 || node.getInt("broadcast", 0) == 0 ||
      !node.hasAttr("axis"))
    return rhs;
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t axis = node.getInt("axis", 0);
  if (axis < 0)
    axis += lhsType.getRank();
  int64_t trailing = lhsType.getRank() - axis - rhsType.getRank();
  if (axis < 0 || trailing < 0) {
    node.emitError() << "invalid broadcast axis " << node.getInt("axis", 0)
                     << " for operands " << lhsType << " and " << rhsType;
    return failure();
  }
  if (trailing == 0)
    return rhs;
  // `0` copies the dimension at the same index, then 1s are appended.
  llvm::SmallVector<int64_t> shape(rhsType.getRank(), 0);
  shape.append(trailing, 1);
  OpBuilder &b = node.getBuilder();
  return node.create<graph::ReshapeOp>(
      rhs, {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(shape))});
}

template <typename OpTy> static LogicalResult importBinary(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  Value lhs = node.getInput(0);
  FailureOr<Value> rhs = legacyBroadcastRhs(node, lhs, node.getInput(1));
  if (failed(rhs))
    return failure();
  FailureOr<Value> result = node.create<OpTy>({lhs, *rhs});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

template <typename OpTy> static LogicalResult importUnary(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  FailureOr<Value> result = node.create<OpTy>(node.getInput(0));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importLeakyRelu(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::LeakyReluOp>(
      node.getInput(0),
      {b.getNamedAttr("alpha",
                      b.getF32FloatAttr(node.getFloat("alpha", 0.01f)))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importClip(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<NamedAttribute> attrs;
  if (node.getOpset() < 11) {
    if (node.hasAttr("min"))
      attrs.push_back(
          b.getNamedAttr("min", b.getF64FloatAttr(node.getFloat("min", 0))));
    if (node.hasAttr("max"))
      attrs.push_back(
          b.getNamedAttr("max", b.getF64FloatAttr(node.getFloat("max", 0))));
  } else {
    for (auto [index, name] : {std::pair<unsigned, const char *>(1, "min"),
                               std::pair<unsigned, const char *>(2, "max")}) {
      if (!node.hasInput(index))
        continue;
      std::optional<llvm::SmallVector<double>> bound =
          node.getConstantDoubles(index);
      if (!bound) {
        node.emitError() << "the '" << name << "' bound '"
                         << node.getNode().input(index)
                         << "' must be a constant";
        return failure();
      }
      if (bound->size() != 1) {
        node.emitError() << "the '" << name
                         << "' bound must be a scalar, it has " << bound->size()
                         << " elements";
        return failure();
      }
      attrs.push_back(b.getNamedAttr(name, b.getF64FloatAttr(bound->front())));
    }
  }
  FailureOr<Value> result = node.create<graph::ClipOp>(node.getInput(0), attrs);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

void registerElementwiseImporters(OpImporterRegistry &registry) {
  registry["Add"] = importBinary<graph::AddOp>;
  registry["Sub"] = importBinary<graph::SubOp>;
  registry["Mul"] = importBinary<graph::MulOp>;
  registry["Div"] = importBinary<graph::DivOp>;
  registry["Relu"] = importUnary<graph::ReluOp>;
  registry["Sigmoid"] = importUnary<graph::SigmoidOp>;
  registry["Tanh"] = importUnary<graph::TanhOp>;
  registry["LeakyRelu"] = importLeakyRelu;
  registry["Clip"] = importClip;
}

} // namespace tessera::onnx
