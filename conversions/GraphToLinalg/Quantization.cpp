//===- Quantization.cpp - Quantization ops to linalg ----------------------===//
//
// Lowering of the ops in QuantizationOps.td to linalg/tensor/arith.
// tg.quantize_linear, tg.dequantize_linear and tg.bit_shift are elementwise
// with numpy broadcasting (the importer has already turned per-axis scales
// into broadcastable shapes), so each becomes one parallel linalg.generic
// whose body spells out the integer arithmetic: round half to even and
// saturation for quantize, an exact integer difference for dequantize, and
// ONNX's "shifted out means zero" for shifts.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

/// Converts the signless integer `x` (holding a value of the given
/// signedness) to the float type `type`.
Value intToFloat(OpBuilder &b, Location loc, Value x, bool isUnsigned,
                 Type type) {
  if (isUnsigned)
    return arith::UIToFPOp::create(b, loc, type, x);
  return arith::SIToFPOp::create(b, loc, type, x);
}

/// Widens the signless integer `x` (holding a value of the given
/// signedness) to `type`; returns it unchanged when it is already as wide.
Value widenInt(OpBuilder &b, Location loc, Value x, bool isUnsigned,
               IntegerType type) {
  if (x.getType().getIntOrFloatBitWidth() >= type.getWidth())
    return x;
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, type, x);
  return arith::ExtSIOp::create(b, loc, type, x);
}

/// tg.quantize_linear: `clamp(roundeven(x / scale) + zp, min, max)` in the
/// input's float type, then converted to the 8-bit result. Adding the zero
/// point after rounding is exact (both are small integers), which matches
/// the ONNX reference. NaN inputs saturate to the lower bound (maxnumf)
/// instead of reaching the poison of fptoui/fptosi.
struct QuantizeLinearLowering : OpConversionPattern<tg::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto intType = cast<IntegerType>(resultType.getElementType());
    bool isUnsigned = intType.isUnsigned();
    unsigned width = intType.getWidth();
    double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
    double hi = isUnsigned ? std::ldexp(1.0, width) - 1
                           : std::ldexp(1.0, width - 1) - 1;
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{
            adaptor.getInput(), adaptor.getScale(),
            adaptor.getZeroPoint()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Type floatType = args[0].getType();
          Value scaled = arith::DivFOp::create(b, loc, args[0], args[1]);
          Value rounded = math::RoundEvenOp::create(b, loc, scaled);
          Value zp = intToFloat(b, loc, args[2], isUnsigned, floatType);
          Value shifted = arith::AddFOp::create(b, loc, rounded, zp);
          Value clamped = arith::MinNumFOp::create(
              b, loc,
              arith::MaxNumFOp::create(b, loc, shifted,
                                       createScalar(b, loc, floatType, lo)),
              createScalar(b, loc, floatType, hi));
          Type signless = b.getIntegerType(width);
          if (isUnsigned)
            return arith::FPToUIOp::create(b, loc, signless, clamped);
          return arith::FPToSIOp::create(b, loc, signless, clamped);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.dequantize_linear: `float(x - zp) * scale` with the difference in
/// i32 (8-bit inputs are widened first), as the ONNX reference computes it.
struct DequantizeLinearLowering : OpConversionPattern<tg::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inType = cast<IntegerType>(op.getInput().getType().getElementType());
    bool isUnsigned = inType.isUnsigned();
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{
            adaptor.getInput(), adaptor.getScale(),
            adaptor.getZeroPoint()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          IntegerType i32 = b.getI32Type();
          Value x = widenInt(b, loc, args[0], isUnsigned, i32);
          Value zp = widenInt(b, loc, args[2], isUnsigned, i32);
          Value diff = arith::SubIOp::create(b, loc, x, zp);
          Value real = arith::SIToFPOp::create(b, loc, args[1].getType(), diff);
          return arith::MulFOp::create(b, loc, real, args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.bit_shift: shli / shrui, with shift amounts of at least the bit width
/// selected to 0 (arith leaves them poison; ONNX and numpy give 0).
struct BitShiftLowering : OpConversionPattern<tg::BitShiftOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::BitShiftOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    bool left = op.getDirection() == "LEFT";
    unsigned width = resultType.getElementType().getIntOrFloatBitWidth();
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value shifted =
              left ? (Value)arith::ShLIOp::create(b, loc, args[0], args[1])
                   : (Value)arith::ShRUIOp::create(b, loc, args[0], args[1]);
          Type type = args[0].getType();
          Value tooFar =
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, args[1],
                                    createScalar(b, loc, type, width));
          return arith::SelectOp::create(
              b, loc, tooFar, createScalar(b, loc, type, 0), shifted);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateQuantizationPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<QuantizeLinearLowering, DequantizeLinearLowering, BitShiftLowering>(
          patterns.getContext());
}
