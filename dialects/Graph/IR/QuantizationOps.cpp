//===- QuantizationOps.cpp - Graph dialect: quantization ops --------------===//
//
// Result-type inference and verifiers of the ops in QuantizationOps.td.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace tessera::graph;

namespace {

RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Checks that `operand` (the scale or zero point named `name`) broadcasts
/// onto `input` without enlarging it.
LogicalResult checkBroadcastsOnto(std::optional<Location> loc, StringRef name,
                                  RankedTensorType operand,
                                  RankedTensorType input) {
  auto shape = broadcastShapes(input.getShape(), operand.getShape());
  if (!shape || failed(verifyCompatibleShape(*shape, input.getShape())))
    return emitOptionalError(loc, "'", name, "' of type ", operand,
                             " does not broadcast onto the input ", input);
  return success();
}

/// Whether `type` is an 8-bit integer of any signedness.
bool isInt8(Type type) { return type.isInteger(8); }

} // namespace

//===----------------------------------------------------------------------===//
// QuantizeLinearOp
//===----------------------------------------------------------------------===//

bool QuantizeLinearOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return areCompatibleResultTypes(l, r);
}

LogicalResult
QuantizeLinearOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                   Adaptor adaptor,
                                   SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput()),
                   scale = rankedType(adaptor.getScale()),
                   zp = rankedType(adaptor.getZeroPoint());
  if (!isa<FloatType>(in.getElementType()))
    return emitOptionalError(loc, "expects a floating-point input, got ",
                             in.getElementType());
  if (scale.getElementType() != in.getElementType())
    return emitOptionalError(loc, "scale element type ", scale.getElementType(),
                             " differs from the input's ", in.getElementType());
  if (!isInt8(zp.getElementType()))
    return emitOptionalError(loc,
                             "zero point must have 8-bit integer elements "
                             "(i8, si8 or ui8), got ",
                             zp.getElementType());
  if (failed(checkBroadcastsOnto(loc, "scale", scale, in)) ||
      failed(checkBroadcastsOnto(loc, "zero_point", zp, in)))
    return failure();
  inferred.push_back(in.clone(zp.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// DequantizeLinearOp
//===----------------------------------------------------------------------===//

bool DequantizeLinearOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return areCompatibleResultTypes(l, r);
}

LogicalResult
DequantizeLinearOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                     Adaptor adaptor,
                                     SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput()),
                   scale = rankedType(adaptor.getScale()),
                   zp = rankedType(adaptor.getZeroPoint());
  Type element = in.getElementType();
  if (!element.isInteger(8) && !element.isInteger(32))
    return emitOptionalError(
        loc, "expects 8-bit or 32-bit integer input elements, got ", element);
  if (zp.getElementType() != element)
    return emitOptionalError(loc, "zero point element type ",
                             zp.getElementType(), " differs from the input's ",
                             element);
  if (!isa<FloatType>(scale.getElementType()))
    return emitOptionalError(loc, "expects a floating-point scale, got ",
                             scale.getElementType());
  if (failed(checkBroadcastsOnto(loc, "scale", scale, in)) ||
      failed(checkBroadcastsOnto(loc, "zero_point", zp, in)))
    return failure();
  inferred.push_back(in.clone(scale.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// BitShiftOp
//===----------------------------------------------------------------------===//

bool BitShiftOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return areCompatibleResultTypes(l, r);
}

LogicalResult BitShiftOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  RankedTensorType l = rankedType(adaptor.getLhs()),
                   r = rankedType(adaptor.getRhs());
  if (l.getElementType() != r.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             l.getElementType(), " vs ", r.getElementType());
  auto shape = broadcastShapes(l.getShape(), r.getShape());
  if (!shape)
    return emitOptionalError(loc, "operand types ", l, " and ", r,
                             " are not broadcastable");
  inferred.push_back(RankedTensorType::get(*shape, l.getElementType()));
  return success();
}

LogicalResult BitShiftOp::verify() {
  if (!getType().getElementType().isUnsignedInteger())
    return emitOpError("expects unsigned integer elements, got ")
           << getType().getElementType();
  if (getDirection() != "LEFT" && getDirection() != "RIGHT")
    return emitOpError("unknown direction '")
           << getDirection() << "' (expected LEFT or RIGHT)";
  return success();
}
