//===- ImportElementwise.cpp - Elementwise ONNX ops -----------------------===//
//
// Add/Sub/Mul/Div (including the axis broadcasting of opsets < 7), Pow,
// Mod, PRelu, the variadic Sum/Min/Max/Mean (chains of binary ops), the
// comparisons, And/Or/Xor/Not, Where, Relu,
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

/// Variadic Sum/Min/Max (and Mean's sum): a left-to-right chain of binary
/// ops; a single input is passed through.
template <typename OpTy>
static FailureOr<Value> importChain(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  Value result = node.getInput(0);
  for (unsigned i = 1, e = node.getNumInputs(); i < e; ++i) {
    if (!node.hasInput(i)) {
      node.emitError() << "input " << i << " is empty";
      return failure();
    }
    FailureOr<Value> next = node.create<OpTy>({result, node.getInput(i)});
    if (failed(next))
      return failure();
    result = *next;
  }
  return result;
}

template <typename OpTy>
static LogicalResult importVariadic(NodeContext &node) {
  FailureOr<Value> result = importChain<OpTy>(node);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// Mean: the sum chain divided by the number of inputs.
static LogicalResult importMean(NodeContext &node) {
  FailureOr<Value> sum = importChain<graph::AddOp>(node);
  if (failed(sum))
    return failure();
  auto type = cast<RankedTensorType>(sum->getType());
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType) {
    node.emitError() << "Mean expects floating-point inputs, got "
                     << type.getElementType();
    return failure();
  }
  unsigned count = node.getNumInputs();
  if (count == 1) {
    node.setOutput(0, *sum);
    return success();
  }
  auto scalarType = RankedTensorType::get({}, floatType);
  Value divisor = node.createConstant(DenseElementsAttr::get(
      scalarType, node.getBuilder().getFloatAttr(floatType, count)));
  FailureOr<Value> result = node.create<graph::DivOp>({*sum, divisor});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importMod(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  int64_t fmod = node.getInt("fmod", 0);
  if (fmod != 0 && fmod != 1) {
    node.emitError() << "attribute 'fmod' must be 0 or 1, got " << fmod;
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::ModOp>(
      {node.getInput(0), node.getInput(1)},
      {b.getNamedAttr("fmod", b.getBoolAttr(fmod == 1))});
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

/// PRelu: before opset 7 a 1-D slope of the channel count applies per
/// channel (dimension 1); it is reshaped to `C x 1 x ... x 1` so that numpy
/// broadcasting does the same.
static LogicalResult importPRelu(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  Value x = node.getInput(0), slope = node.getInput(1);
  RankedTensorType xType = node.getInputType(0),
                   slopeType = node.getInputType(1);
  if (node.getOpset() < 7 && xType.getRank() > 2 &&
      slopeType.getRank() == 1 && slopeType.getDimSize(0) != 1 &&
      slopeType.getDimSize(0) == xType.getDimSize(1)) {
    llvm::SmallVector<int64_t> shape = {slopeType.getDimSize(0)};
    shape.append(xType.getRank() - 2, 1);
    FailureOr<Value> reshaped = createReshapeTo(node, slope, shape);
    if (failed(reshaped))
      return failure();
    slope = *reshaped;
  }
  FailureOr<Value> result = node.create<graph::PReluOp>({x, slope});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importWhere(NodeContext &node) {
  if (failed(node.requireInputs(3)))
    return failure();
  FailureOr<Value> result = node.create<graph::WhereOp>(
      {node.getInput(0), node.getInput(1), node.getInput(2)});
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
  registry["Pow"] = importBinary<graph::PowOp>;
  registry["Mod"] = importMod;
  registry["PRelu"] = importPRelu;
  registry["Sum"] = importVariadic<graph::AddOp>;
  registry["Min"] = importVariadic<graph::MinOp>;
  registry["Max"] = importVariadic<graph::MaxOp>;
  registry["Mean"] = importMean;
  registry["Equal"] = importBinary<graph::EqualOp>;
  registry["Less"] = importBinary<graph::LessOp>;
  registry["LessOrEqual"] = importBinary<graph::LessEqualOp>;
  registry["Greater"] = importBinary<graph::GreaterOp>;
  registry["GreaterOrEqual"] = importBinary<graph::GreaterEqualOp>;
  registry["And"] = importBinary<graph::AndOp>;
  registry["Or"] = importBinary<graph::OrOp>;
  registry["Xor"] = importBinary<graph::XorOp>;
  registry["Not"] = importUnary<graph::NotOp>;
  registry["Where"] = importWhere;
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
