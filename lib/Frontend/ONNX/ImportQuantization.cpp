//===- ImportQuantization.cpp - ONNX quantization ops ---------------------===//
//
// Importers of the ONNX ops lowered to the ops of QuantizationOps.td.
//
// QuantizeLinear/DequantizeLinear map to tg.quantize_linear and
// tg.dequantize_linear; a per-axis (1-D) scale and zero point are reshaped
// to broadcast along `axis`, and an omitted zero point becomes a 0
// constant (ui8 for QuantizeLinear, the input's type for
// DequantizeLinear). DynamicQuantizeLinear is composed as its ONNX function
// body: the scale from the range of the input extended to 0, and the zero
// point quantized like any value (`saturate(round(-min / scale))`).
//
// The integer contractions subtract zero points in i32 and reuse tg.matmul
// and tg.conv on i32 values: MatMulInteger/ConvInteger are exactly that;
// QLinearMatMul/QLinearConv then rescale the i32 accumulator in f32 by
// `a_scale * b_scale / y_scale` and requantize it with tg.quantize_linear
// (scale 1), which rounds half to even and saturates as the reference does.
// BitShift maps to tg.bit_shift.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/ImportConvPool.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/ReshapeUtils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

using namespace mlir;

namespace tessera::onnx {

namespace {

/// A rank-0 constant of `element` holding `value`.
Value createScalarConstant(NodeContext &node, Type element, double value) {
  auto type = RankedTensorType::get({}, element);
  if (auto floatType = dyn_cast<FloatType>(element))
    return node.createConstant(DenseElementsAttr::get(
        type, APFloat(floatType.getFloatSemantics(), std::to_string(value))));
  return node.createConstant(DenseElementsAttr::get(
      type, APInt(element.getIntOrFloatBitWidth(), (int64_t)value,
                  /*isSigned=*/true)));
}

/// Input `index` when given, else a rank-0 zero of `element` (ONNX's
/// default zero point).
Value getZeroPoint(NodeContext &node, unsigned index, Type element) {
  if (Value zp = node.getInput(index))
    return zp;
  return createScalarConstant(node, element, 0);
}

/// Makes the scale or zero point `value` (named `name` in errors)
/// broadcast onto a tensor of type `target` along dimension `axis`: a
/// scalar or one-element tensor becomes rank 0, a 1-D tensor of `n`
/// elements becomes `1 x .. x n x .. x 1` with `n` at `axis`.
FailureOr<Value> broadcastAlongAxis(NodeContext &node, Value value,
                                    RankedTensorType target, int64_t axis,
                                    StringRef name) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 0)
    return value;
  if (type.getRank() != 1) {
    node.emitError() << "'" << name << "' must be a scalar or 1-D, got "
                     << type;
    return failure();
  }
  if (type.getDimSize(0) == 1)
    return createReshapeTo(node, value, {});
  std::optional<int64_t> normalized =
      graph::normalizeAxis(axis, target.getRank());
  if (!normalized) {
    node.emitError() << "'axis' " << axis << " is out of range for input "
                     << target;
    return failure();
  }
  int64_t size = type.getDimSize(0), dim = target.getDimSize(*normalized);
  if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(dim) &&
      size != dim) {
    node.emitError() << "'" << name << "' has " << size
                     << " elements but input dimension " << *normalized
                     << " (axis " << axis << ") has size " << dim;
    return failure();
  }
  llvm::SmallVector<int64_t> shape(target.getRank(), 1);
  shape[*normalized] = size;
  return createReshapeTo(node, value, shape);
}

/// `value` converted to i32 elements. Inline constants (zero points,
/// usually) are converted here: a tg.cast of an unsigned splat constant
/// would reach linalg as a generic whose fused body needs an unsigned
/// scalar arith.constant, which does not verify.
FailureOr<Value> castToI32(NodeContext &node, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType i32Type = type.clone(node.getBuilder().getI32Type());
  if (auto constant = value.getDefiningOp<graph::ConstantOp>()) {
    if (auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue())) {
      bool isUnsigned = type.getElementType().isUnsignedInteger();
      auto wide =
          llvm::map_to_vector(dense.getValues<APInt>(), [&](const APInt &v) {
            return isUnsigned ? v.zextOrTrunc(32) : v.sextOrTrunc(32);
          });
      return node.createConstant(DenseElementsAttr::get(i32Type, wide));
    }
  }
  return node.create<graph::CastOp>(value, {}, i32Type);
}

/// `int32(value) - int32(zeroPoint)`: an 8-bit operand of an integer
/// contraction with its zero point removed. `zeroPoint` may be null (0).
FailureOr<Value> subtractZeroPoint(NodeContext &node, Value value,
                                   Value zeroPoint) {
  FailureOr<Value> wide = castToI32(node, value);
  if (failed(wide) || !zeroPoint)
    return wide;
  FailureOr<Value> wideZp = castToI32(node, zeroPoint);
  if (failed(wideZp))
    return failure();
  return node.create<graph::SubOp>({*wide, *wideZp});
}

/// Checks that input `index` has an 8-bit integer element type.
LogicalResult requireInt8(NodeContext &node, unsigned index, StringRef name) {
  Type element = node.getInputType(index).getElementType();
  if (element.isInteger(8))
    return success();
  node.emitError() << "'" << name << "' must be int8 or uint8, got " << element;
  return failure();
}

/// The zero point of a matmul's left operand, which may be per row (1-D of
/// the operand's row count): reshaped to `M x 1` so that it broadcasts
/// over the rows. Null when `index` is omitted.
FailureOr<Value> rowZeroPoint(NodeContext &node, unsigned index,
                              RankedTensorType lhs, StringRef name) {
  Value zp = node.getInput(index);
  if (!zp || lhs.getRank() < 2)
    return zp;
  return broadcastAlongAxis(
      node, zp,
      RankedTensorType::get({lhs.getDimSize(lhs.getRank() - 2), 1},
                            lhs.getElementType()),
      0, name);
}

/// `int32(a - aZp) x int32(b - bZp)` with tg.matmul. `aZp` (per tensor or
/// per row) and `bZp` (per tensor or per column) may be null.
FailureOr<Value> createIntegerMatMul(NodeContext &node, Value a, Value aZp,
                                     Value b, Value bZp) {
  FailureOr<Value> lhs = subtractZeroPoint(node, a, aZp);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = subtractZeroPoint(node, b, bZp);
  if (failed(rhs))
    return failure();
  return node.create<graph::MatMulOp>({*lhs, *rhs});
}

/// Requantizes the i32 accumulator `acc` of a QLinear op:
/// `quantize(float(acc) * (aScale * bScale / yScale), 1, yZp)`.
FailureOr<Value> requantize(NodeContext &node, Value acc, Value aScale,
                            Value bScale, Value yScale, Value yZp) {
  auto accType = cast<RankedTensorType>(acc.getType());
  Type f32 = node.getBuilder().getF32Type();
  FailureOr<Value> real =
      node.create<graph::CastOp>(acc, {}, accType.clone(f32));
  if (failed(real))
    return failure();
  FailureOr<Value> inScale = node.create<graph::MulOp>({aScale, bScale});
  if (failed(inScale))
    return failure();
  FailureOr<Value> multiplier = node.create<graph::DivOp>({*inScale, yScale});
  if (failed(multiplier))
    return failure();
  FailureOr<Value> scaled = node.create<graph::MulOp>({*real, *multiplier});
  if (failed(scaled))
    return failure();
  return node.create<graph::QuantizeLinearOp>(
      {*scaled, createScalarConstant(node, f32, 1.0), yZp});
}

} // namespace

//===----------------------------------------------------------------------===//
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear
//===----------------------------------------------------------------------===//

/// Shared by QuantizeLinear and DequantizeLinear: `x`, a scale and an
/// optional zero point (of `defaultZpType` when omitted), per tensor or
/// along `axis` (opset 13+, default 1).
template <typename OpTy>
static LogicalResult importQuantizeOrDequantize(NodeContext &node,
                                                Type defaultZpType) {
  if (failed(node.requireInputs(2)))
    return failure();
  Value x = node.getInput(0);
  RankedTensorType xType = node.getInputType(0);
  int64_t axis = node.getInt("axis", 1);
  FailureOr<Value> scale =
      broadcastAlongAxis(node, node.getInput(1), xType, axis, "scale");
  if (failed(scale))
    return failure();
  FailureOr<Value> zp = broadcastAlongAxis(
      node, getZeroPoint(node, 2, defaultZpType), xType, axis, "zero_point");
  if (failed(zp))
    return failure();
  FailureOr<Value> result = node.create<OpTy>({x, *scale, *zp});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importQuantizeLinear(NodeContext &node) {
  return importQuantizeOrDequantize<graph::QuantizeLinearOp>(
      node, IntegerType::get(node.getContext(), 8, IntegerType::Unsigned));
}

static LogicalResult importDequantizeLinear(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  return importQuantizeOrDequantize<graph::DequantizeLinearOp>(
      node, node.getInputType(0).getElementType());
}

/// DynamicQuantizeLinear (uint8 only, as ONNX defines it): with
/// `lo = min(min(x), 0)` and `hi = max(max(x), 0)`,
/// `scale = (hi - lo) / 255`, `zero_point = saturate(round(-lo / scale))`
/// and `y = QuantizeLinear(x, scale, zero_point)`.
static LogicalResult importDynamicQuantizeLinear(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  Value x = node.getInput(0);
  RankedTensorType xType = node.getInputType(0);
  if (!xType.getElementType().isF32()) {
    node.emitError() << "expects a float32 input, got "
                     << xType.getElementType();
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  auto allAxes = llvm::to_vector(llvm::seq<int64_t>(0, xType.getRank()));
  llvm::SmallVector<NamedAttribute> reduceAll = {
      b.getNamedAttr("axes", b.getDenseI64ArrayAttr(allAxes)),
      b.getNamedAttr("keepdims", b.getBoolAttr(false))};
  Type f32 = b.getF32Type();
  Value zero = createScalarConstant(node, f32, 0.0);
  FailureOr<Value> min = node.create<graph::ReduceMinOp>(x, reduceAll);
  FailureOr<Value> max = node.create<graph::ReduceMaxOp>(x, reduceAll);
  if (failed(min) || failed(max))
    return failure();
  FailureOr<Value> lo = node.create<graph::MinOp>({*min, zero});
  FailureOr<Value> hi = node.create<graph::MaxOp>({*max, zero});
  if (failed(lo) || failed(hi))
    return failure();
  FailureOr<Value> range = node.create<graph::SubOp>({*hi, *lo});
  if (failed(range))
    return failure();
  FailureOr<Value> scale = node.create<graph::DivOp>(
      {*range, createScalarConstant(node, f32, 255.0)});
  if (failed(scale))
    return failure();
  FailureOr<Value> negLo = node.create<graph::SubOp>({zero, *lo});
  if (failed(negLo))
    return failure();
  Type ui8 = IntegerType::get(node.getContext(), 8, IntegerType::Unsigned);
  FailureOr<Value> zp = node.create<graph::QuantizeLinearOp>(
      {*negLo, *scale, createScalarConstant(node, ui8, 0)});
  if (failed(zp))
    return failure();
  FailureOr<Value> y = node.create<graph::QuantizeLinearOp>({x, *scale, *zp});
  if (failed(y))
    return failure();
  node.setOutput(0, *y);
  node.setOutput(1, *scale);
  node.setOutput(2, *zp);
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulInteger, QLinearMatMul
//===----------------------------------------------------------------------===//

/// MatMulInteger(A, B, a_zero_point?, b_zero_point?) -> int32.
static LogicalResult importMatMulInteger(NodeContext &node) {
  if (failed(node.requireInputs(2)) || failed(requireInt8(node, 0, "A")) ||
      failed(requireInt8(node, 1, "B")))
    return failure();
  FailureOr<Value> aZp =
      rowZeroPoint(node, 2, node.getInputType(0), "a_zero_point");
  if (failed(aZp))
    return failure();
  FailureOr<Value> result = createIntegerMatMul(
      node, node.getInput(0), *aZp, node.getInput(1), node.getInput(3));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// QLinearMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point,
/// y_scale, y_zero_point): a and b scales/zero points per tensor, per row
/// of a or per column of b.
static LogicalResult importQLinearMatMul(NodeContext &node) {
  if (failed(node.requireInputs(8)) || failed(requireInt8(node, 0, "a")) ||
      failed(requireInt8(node, 3, "b")))
    return failure();
  RankedTensorType aType = node.getInputType(0);
  FailureOr<Value> aZp = rowZeroPoint(node, 2, aType, "a_zero_point");
  if (failed(aZp))
    return failure();
  FailureOr<Value> aScale = rowZeroPoint(node, 1, aType, "a_scale");
  if (failed(aScale))
    return failure();
  FailureOr<Value> acc = createIntegerMatMul(
      node, node.getInput(0), *aZp, node.getInput(3), node.getInput(5));
  if (failed(acc))
    return failure();
  FailureOr<Value> result = requantize(node, *acc, *aScale, node.getInput(4),
                                       node.getInput(6), node.getInput(7));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// ConvInteger, QLinearConv
//===----------------------------------------------------------------------===//

/// `conv(int32(x - xZp), int32(w - wZp)) + bias` in i32, with the node's
/// Conv attributes. The weight's zero point (input `wZpIndex`) may be per
/// output channel; padding then adds zeros to `x - xZp`, i.e. pads `x`
/// with its zero point, as ONNX specifies.
static FailureOr<Value> createIntegerConv(NodeContext &node, unsigned xIndex,
                                          unsigned xZpIndex, unsigned wIndex,
                                          unsigned wZpIndex, Value bias) {
  if (failed(requireInt8(node, xIndex, "x")) ||
      failed(requireInt8(node, wIndex, "w")))
    return failure();
  Value xZp = node.getInput(xZpIndex), wZp = node.getInput(wZpIndex);
  if (wZp) {
    FailureOr<Value> perChannel = broadcastAlongAxis(
        node, wZp, node.getInputType(wIndex), 0, "w_zero_point");
    if (failed(perChannel))
      return failure();
    wZp = *perChannel;
  }
  FailureOr<Value> x = subtractZeroPoint(node, node.getInput(xIndex), xZp);
  if (failed(x))
    return failure();
  FailureOr<Value> w = subtractZeroPoint(node, node.getInput(wIndex), wZp);
  if (failed(w))
    return failure();
  return createConvFromNode(node, *x, *w, bias);
}

/// ConvInteger(x, w, x_zero_point?, w_zero_point?) -> int32.
static LogicalResult importConvInteger(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  FailureOr<Value> result = createIntegerConv(node, 0, 2, 1, 3, Value());
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point,
/// y_scale, y_zero_point, B?): the weight's scale and zero point may be per
/// output channel; B is an int32 bias added to the accumulator.
static LogicalResult importQLinearConv(NodeContext &node) {
  if (failed(node.requireInputs(8)))
    return failure();
  Value bias = node.getInput(8);
  if (bias && !node.getInputType(8).getElementType().isInteger(32)) {
    node.emitError() << "'B' must be int32, got "
                     << node.getInputType(8).getElementType();
    return failure();
  }
  FailureOr<Value> acc = createIntegerConv(node, 0, 2, 3, 5, bias);
  if (failed(acc))
    return failure();
  // The weight scale broadcasts over the accumulator's channel dimension.
  FailureOr<Value> wScale =
      broadcastAlongAxis(node, node.getInput(4),
                         cast<RankedTensorType>(acc->getType()), 1, "w_scale");
  if (failed(wScale))
    return failure();
  FailureOr<Value> result = requantize(node, *acc, node.getInput(1), *wScale,
                                       node.getInput(6), node.getInput(7));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// BitShift
//===----------------------------------------------------------------------===//

static LogicalResult importBitShift(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  std::string direction = node.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT") {
    node.emitError() << "'direction' must be \"LEFT\" or \"RIGHT\", got \""
                     << direction << "\"";
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::BitShiftOp>(
      {node.getInput(0), node.getInput(1)},
      {b.getNamedAttr("direction", b.getStringAttr(direction))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

void registerQuantizationImporters(OpImporterRegistry &registry) {
  registry["QuantizeLinear"] = importQuantizeLinear;
  registry["DequantizeLinear"] = importDequantizeLinear;
  registry["DynamicQuantizeLinear"] = importDynamicQuantizeLinear;
  registry["MatMulInteger"] = importMatMulInteger;
  registry["QLinearMatMul"] = importQLinearMatMul;
  registry["ConvInteger"] = importConvInteger;
  registry["QLinearConv"] = importQLinearConv;
  registry["BitShift"] = importBitShift;
}

} // namespace tessera::onnx
