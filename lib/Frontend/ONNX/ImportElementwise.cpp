//===- ImportElementwise.cpp - Elementwise ONNX ops -----------------------===//
//
// Add/Sub/Mul/Div (including the axis broadcasting of opsets < 7), Relu,
// LeakyRelu, Sigmoid, Tanh, the unary math ops (Exp, Log, trigonometry,
// rounding, Elu/Selu/Celu/HardSigmoid/... with their attributes, IsNaN,
// IsInf) and Clip (attribute bounds before opset 11,
// input bounds since: constant ones fold into attributes, others are
// operands).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/ReshapeUtils.h"

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

/// Unary ops whose ONNX attributes carry over by name: float attributes
/// become F32Attr, integer ones (IsInf's detect_*) BoolAttr. Attributes the
/// node leaves out get the op's defaults (ONNX's).
template <typename OpTy>
static LogicalResult importUnaryWithAttrs(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<NamedAttribute> attrs;
  for (llvm::StringRef name : OpTy::getAttributeNames()) {
    const ::onnx::AttributeProto *attr = node.getAttr(name);
    if (!attr)
      continue;
    if (attr->type() == ::onnx::AttributeProto::FLOAT) {
      attrs.push_back(b.getNamedAttr(name, b.getF32FloatAttr(attr->f())));
    } else if (attr->type() == ::onnx::AttributeProto::INT) {
      attrs.push_back(b.getNamedAttr(name, b.getBoolAttr(attr->i() != 0)));
    } else {
      node.emitError() << "attribute '" << name.str()
                       << "' must be a float or an int";
      return failure();
    }
  }
  FailureOr<Value> result = node.create<OpTy>(node.getInput(0), attrs);
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
  Value lower, upper;
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
        // A bound computed at run time becomes a rank-0 operand.
        RankedTensorType type = node.getInputType(index);
        if (!type.hasStaticShape() || type.getNumElements() != 1) {
          node.emitError() << "the '" << name << "' bound must be a scalar, "
                           << "got " << type;
          return failure();
        }
        FailureOr<Value> scalar =
            createReshapeTo(node, node.getInput(index), {});
        if (failed(scalar))
          return failure();
        (index == 1 ? lower : upper) = *scalar;
        continue;
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
  llvm::SmallVector<Value> operands = {node.getInput(0)};
  if (lower)
    operands.push_back(lower);
  if (upper)
    operands.push_back(upper);
  attrs.push_back(b.getNamedAttr(
      "operandSegmentSizes",
      b.getDenseI32ArrayAttr({1, lower ? 1 : 0, upper ? 1 : 0})));
  FailureOr<Value> result = node.create<graph::ClipOp>(operands, attrs);
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
  registry["Exp"] = importUnary<graph::ExpOp>;
  registry["Log"] = importUnary<graph::LogOp>;
  registry["Sqrt"] = importUnary<graph::SqrtOp>;
  registry["Reciprocal"] = importUnary<graph::ReciprocalOp>;
  registry["Neg"] = importUnary<graph::NegOp>;
  registry["Abs"] = importUnary<graph::AbsOp>;
  registry["Erf"] = importUnary<graph::ErfOp>;
  registry["Sin"] = importUnary<graph::SinOp>;
  registry["Cos"] = importUnary<graph::CosOp>;
  registry["Tan"] = importUnary<graph::TanOp>;
  registry["Asin"] = importUnary<graph::AsinOp>;
  registry["Acos"] = importUnary<graph::AcosOp>;
  registry["Atan"] = importUnary<graph::AtanOp>;
  registry["Sinh"] = importUnary<graph::SinhOp>;
  registry["Cosh"] = importUnary<graph::CoshOp>;
  registry["Asinh"] = importUnary<graph::AsinhOp>;
  registry["Acosh"] = importUnary<graph::AcoshOp>;
  registry["Atanh"] = importUnary<graph::AtanhOp>;
  registry["Floor"] = importUnary<graph::FloorOp>;
  registry["Ceil"] = importUnary<graph::CeilOp>;
  registry["Round"] = importUnary<graph::RoundOp>;
  registry["Sign"] = importUnary<graph::SignOp>;
  registry["Softplus"] = importUnary<graph::SoftplusOp>;
  registry["Softsign"] = importUnary<graph::SoftsignOp>;
  registry["HardSwish"] = importUnary<graph::HardSwishOp>;
  registry["Elu"] = importUnaryWithAttrs<graph::EluOp>;
  registry["Selu"] = importUnaryWithAttrs<graph::SeluOp>;
  registry["Celu"] = importUnaryWithAttrs<graph::CeluOp>;
  registry["HardSigmoid"] = importUnaryWithAttrs<graph::HardSigmoidOp>;
  registry["ThresholdedRelu"] = importUnaryWithAttrs<graph::ThresholdedReluOp>;
  registry["Shrink"] = importUnaryWithAttrs<graph::ShrinkOp>;
  registry["IsNaN"] = importUnary<graph::IsNaNOp>;
  registry["IsInf"] = importUnaryWithAttrs<graph::IsInfOp>;
}

} // namespace tessera::onnx
