//===- Elementwise.cpp - Lowering of elementwise tg ops -------------------===//
//
// Binary arithmetic (add, sub, mul, div, min, max, mod, pow, prelu),
// comparisons, logic (and, or, xor, not), where and cast with numpy
// broadcasting, the unary activations (relu, leaky_relu, sigmoid, tanh,
// clip, elu, selu, ...) and unary math (exp, log, trigonometry, rounding,
// is_nan, ...) become one parallel linalg.generic each, with math and arith
// ops in the body. Broadcast operands are collapsed so that every indexing
// map stays a projected permutation. Unsigned integers are handled as
// signless scalars inside the body (buildSignlessElementwise).
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

/// Whether `type` is an unsigned integer type.
bool isUnsignedInt(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  return intType && intType.isUnsigned();
}

/// Lowers a broadcasting binary op to a linalg.generic whose body is
/// `FloatOp` for floats, `SIntOp` for signed and signless integers and
/// `UIntOp` for unsigned ones.
template <typename TgOp, typename FloatOp, typename SIntOp,
          typename UIntOp = SIntOp>
struct BinaryLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;

  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!elementType.isIntOrFloat())
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsigned = isUnsignedInt(elementType);
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isFloat)
            return FloatOp::create(b, loc, args[0], args[1]);
          if (isUnsigned)
            return UIntOp::create(b, loc, args[0], args[1]);
          return SIntOp::create(b, loc, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// ONNX Mod: fmod = true is C's fmod (sign of the dividend): remf / remsi.
/// fmod = false (integers) takes the sign of the divisor: a nonzero
/// remainder whose sign differs from the divisor's gets the divisor added.
Value buildMod(OpBuilder &b, Location loc, Value x, Value y, bool fmod,
               bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::RemFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::RemUIOp::create(b, loc, x, y);
  Value r = arith::RemSIOp::create(b, loc, x, y);
  if (fmod)
    return r;
  Value zero = createScalar(b, loc, x.getType(), 0);
  Value nonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
  Value rNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
  Value yNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  Value signsDiffer = arith::XOrIOp::create(b, loc, rNeg, yNeg);
  Value adjust = arith::AndIOp::create(b, loc, nonZero, signsDiffer);
  return arith::SelectOp::create(b, loc, adjust,
                                 arith::AddIOp::create(b, loc, r, y), r);
}

/// `x` (an integer of the given signedness or a float) as `type`.
Value convertScalar(OpBuilder &b, Location loc, Value x, bool xUnsigned,
                    Type type) {
  Type from = x.getType();
  if (from == type)
    return x;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(type);
  if (fromFloat && toFloat)
    return from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth()
               ? (Value)arith::ExtFOp::create(b, loc, type, x)
               : (Value)arith::TruncFOp::create(b, loc, type, x);
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, type, x);
  if (toFloat)
    return xUnsigned ? (Value)arith::UIToFPOp::create(b, loc, type, x)
                     : (Value)arith::SIToFPOp::create(b, loc, type, x);
  if (from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth())
    return xUnsigned ? (Value)arith::ExtUIOp::create(b, loc, type, x)
                     : (Value)arith::ExtSIOp::create(b, loc, type, x);
  return arith::TruncIOp::create(b, loc, type, x);
}

struct ModLowering : OpConversionPattern<tg::ModOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::ModOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    bool isUnsigned = isUnsignedInt(resultType.getElementType());
    bool fmod = op.getFmod();
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildMod(b, loc, args[0], args[1], fmod, isUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.pow: float bases use math.powf with the exponent converted to the
/// base's type; integer bases compute in f64 and truncate toward zero.
struct PowLowering : OpConversionPattern<tg::PowOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::PowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type baseType = resultType.getElementType();
    bool baseUnsigned = isUnsignedInt(baseType);
    bool expUnsigned = isUnsignedInt(op.getRhs().getType().getElementType());
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Type computeType =
              isa<FloatType>(baseType) ? baseType : (Type)b.getF64Type();
          Value x = convertScalar(b, loc, args[0], baseUnsigned, computeType);
          Value e = convertScalar(b, loc, args[1], expUnsigned, computeType);
          Value r = math::PowFOp::create(b, loc, x, e);
          if (isa<FloatType>(baseType))
            return r;
          if (baseUnsigned)
            return arith::FPToUIOp::create(b, loc, toSignless(baseType), r);
          return arith::FPToSIOp::create(b, loc, toSignless(baseType), r);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.prelu: `x < 0 ? slope * x : x`.
struct PReluLowering : OpConversionPattern<tg::PReluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::PReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0], slope = args[1];
          Value zero = createScalar(b, loc, x.getType(), 0.0);
          Value negative =
              isa<FloatType>(x.getType())
                  ? (Value)arith::CmpFOp::create(
                        b, loc, arith::CmpFPredicate::OLT, x, zero)
                  : (Value)arith::CmpIOp::create(
                        b, loc, arith::CmpIPredicate::slt, x, zero);
          return arith::SelectOp::create(b, loc, negative,
                                         createMul(b, loc, x, slope), x);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Comparisons: cmpf with an ordered predicate for floats, cmpi with the
/// signed or unsigned predicate for integers.
template <typename TgOp, arith::CmpFPredicate FPred,
          arith::CmpIPredicate SPred, arith::CmpIPredicate UPred>
struct CompareLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;
  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Type operandType = op.getLhs().getType().getElementType();
    if (!operandType.isIntOrFloat())
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    bool isUnsigned = isUnsignedInt(operandType) ||
                      operandType.isSignlessInteger(1);
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isa<FloatType>(args[0].getType()))
            return arith::CmpFOp::create(b, loc, FPred, args[0], args[1]);
          return arith::CmpIOp::create(b, loc, isUnsigned ? UPred : SPred,
                                       args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.where: arith.select over the three broadcast operands.
struct WhereLowering : OpConversionPattern<tg::WhereOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::WhereOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        ValueRange{adaptor.getCondition(), adaptor.getX(), adaptor.getY()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.cast: one arith conversion by the kinds of the two element types.
struct CastLowering : OpConversionPattern<tg::CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type from = op.getInput().getType().getElementType();
    Type to = resultType.getElementType();
    // i1 is zero-extended: true is 1.
    bool fromUnsigned = isUnsignedInt(from) || from.isSignlessInteger(1);
    bool toUnsigned = isUnsignedInt(to);
    Value result = buildSignlessElementwise(
        rewriter, op.getLoc(), resultType, ValueRange{adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          Type target = toSignless(to);
          if (target.isSignlessInteger(1)) {
            Value zero = createScalar(b, loc, x.getType(), 0);
            if (isa<FloatType>(x.getType()))
              return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE,
                                           x, zero);
            return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                         zero);
          }
          auto fromFloat = dyn_cast<FloatType>(x.getType());
          auto toFloat = dyn_cast<FloatType>(target);
          // Between two 16-bit formats (f16, bf16) go through f32.
          if (fromFloat && toFloat &&
              fromFloat.getWidth() == toFloat.getWidth()) {
            x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
            return arith::TruncFOp::create(b, loc, target, x);
          }
          if (fromFloat && !toFloat && toUnsigned)
            return arith::FPToUIOp::create(b, loc, target, x);
          return convertScalar(b, loc, x, fromUnsigned, target);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.not: `x xor true`.
struct NotLowering : OpConversionPattern<tg::NotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::NotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        ValueRange{adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::XOrIOp::create(
              b, loc, args[0], createScalar(b, loc, b.getI1Type(), 1));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

/// Scalar bodies of the unary ops.
Value buildUnary(OpBuilder &b, Location loc, tg::ReluOp, Value x) {
  return createMax(b, loc, x, createScalar(b, loc, x.getType(), 0.0));
}

Value buildUnary(OpBuilder &b, Location loc, tg::SigmoidOp, Value x) {
  Value one = createScalar(b, loc, x.getType(), 1.0);
  Value neg = arith::NegFOp::create(b, loc, x);
  Value exp = math::ExpOp::create(b, loc, neg);
  Value denominator = arith::AddFOp::create(b, loc, one, exp);
  return arith::DivFOp::create(b, loc, one, denominator);
}

Value buildUnary(OpBuilder &b, Location loc, tg::TanhOp, Value x) {
  return math::TanhOp::create(b, loc, x);
}

Value buildUnary(OpBuilder &b, Location loc, tg::LeakyReluOp op, Value x) {
  Value zero = createScalar(b, loc, x.getType(), 0.0);
  Value alpha =
      createScalar(b, loc, x.getType(), op.getAlpha().convertToDouble());
  Value scaled = arith::MulFOp::create(b, loc, x, alpha);
  Value nonNegative =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, zero);
  return arith::SelectOp::create(b, loc, nonNegative, x, scaled);
}

/// Unary math that maps onto one math dialect op.
template <typename TgOp, typename MathOp> struct MathUnary {
  static Value build(OpBuilder &b, Location loc, TgOp, Value x) {
    return MathOp::create(b, loc, x);
  }
};

#define TG_MATH_UNARY(TG_OP, MATH_OP)                                          \
  Value buildUnary(OpBuilder &b, Location loc, tg::TG_OP op, Value x) {       \
    return MathUnary<tg::TG_OP, math::MATH_OP>::build(b, loc, op, x);         \
  }
TG_MATH_UNARY(ExpOp, ExpOp)
TG_MATH_UNARY(LogOp, LogOp)
TG_MATH_UNARY(SqrtOp, SqrtOp)
TG_MATH_UNARY(ErfOp, ErfOp)
TG_MATH_UNARY(SinOp, SinOp)
TG_MATH_UNARY(CosOp, CosOp)
TG_MATH_UNARY(TanOp, TanOp)
TG_MATH_UNARY(AsinOp, AsinOp)
TG_MATH_UNARY(AcosOp, AcosOp)
TG_MATH_UNARY(AtanOp, AtanOp)
TG_MATH_UNARY(SinhOp, SinhOp)
TG_MATH_UNARY(CoshOp, CoshOp)
TG_MATH_UNARY(AsinhOp, AsinhOp)
TG_MATH_UNARY(AcoshOp, AcoshOp)
TG_MATH_UNARY(AtanhOp, AtanhOp)
TG_MATH_UNARY(FloorOp, FloorOp)
TG_MATH_UNARY(CeilOp, CeilOp)
TG_MATH_UNARY(RoundOp, RoundEvenOp)
#undef TG_MATH_UNARY

Value floatConst(OpBuilder &b, Location loc, Type type, double v) {
  return createScalar(b, loc, type, v);
}

Value buildUnary(OpBuilder &b, Location loc, tg::ReciprocalOp, Value x) {
  return arith::DivFOp::create(b, loc, floatConst(b, loc, x.getType(), 1.0),
                               x);
}

Value buildUnary(OpBuilder &b, Location loc, tg::NegOp, Value x) {
  if (isa<FloatType>(x.getType()))
    return arith::NegFOp::create(b, loc, x);
  return arith::SubIOp::create(b, loc, createScalar(b, loc, x.getType(), 0),
                               x);
}

Value buildUnary(OpBuilder &b, Location loc, tg::AbsOp, Value x) {
  if (isa<FloatType>(x.getType()))
    return math::AbsFOp::create(b, loc, x);
  return math::AbsIOp::create(b, loc, x);
}

Value buildUnary(OpBuilder &b, Location loc, tg::SignOp, Value x) {
  Type type = x.getType();
  Value zero = createScalar(b, loc, type, 0), one = createScalar(b, loc, type, 1),
        minusOne = createScalar(b, loc, type, -1);
  Value pos, neg;
  if (isa<FloatType>(type)) {
    pos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
    neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
  } else {
    pos = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero);
    neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
  }
  Value r = arith::SelectOp::create(b, loc, neg, minusOne, zero);
  return arith::SelectOp::create(b, loc, pos, one, r);
}

Value buildUnary(OpBuilder &b, Location loc, tg::SoftplusOp, Value x) {
  Value e = math::ExpOp::create(b, loc, x);
  return math::Log1pOp::create(b, loc, e);
}

Value buildUnary(OpBuilder &b, Location loc, tg::SoftsignOp, Value x) {
  Value a = math::AbsFOp::create(b, loc, x);
  Value d = arith::AddFOp::create(b, loc, floatConst(b, loc, x.getType(), 1.0),
                                  a);
  return arith::DivFOp::create(b, loc, x, d);
}

/// max(0, min(1, alpha * x + beta)).
Value hardSigmoid(OpBuilder &b, Location loc, Value x, double alpha,
                  double beta) {
  Type t = x.getType();
  Value y = arith::MulFOp::create(b, loc, x, floatConst(b, loc, t, alpha));
  y = arith::AddFOp::create(b, loc, y, floatConst(b, loc, t, beta));
  y = arith::MinimumFOp::create(b, loc, y, floatConst(b, loc, t, 1.0));
  return arith::MaximumFOp::create(b, loc, y, floatConst(b, loc, t, 0.0));
}

Value buildUnary(OpBuilder &b, Location loc, tg::HardSwishOp, Value x) {
  return arith::MulFOp::create(b, loc, x,
                               hardSigmoid(b, loc, x, 1.0 / 6.0, 0.5));
}

Value buildUnary(OpBuilder &b, Location loc, tg::HardSigmoidOp op, Value x) {
  return hardSigmoid(b, loc, x, op.getAlpha().convertToDouble(),
                     op.getBeta().convertToDouble());
}

/// alpha * (exp(x) - 1).
Value expm1Scaled(OpBuilder &b, Location loc, Value x, double alpha) {
  Type t = x.getType();
  Value e = math::ExpOp::create(b, loc, x);
  e = arith::SubFOp::create(b, loc, e, floatConst(b, loc, t, 1.0));
  return arith::MulFOp::create(b, loc, e, floatConst(b, loc, t, alpha));
}

Value buildUnary(OpBuilder &b, Location loc, tg::EluOp op, Value x) {
  Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                    floatConst(b, loc, x.getType(), 0.0));
  return arith::SelectOp::create(
      b, loc, neg, expm1Scaled(b, loc, x, op.getAlpha().convertToDouble()), x);
}

Value buildUnary(OpBuilder &b, Location loc, tg::SeluOp op, Value x) {
  Type t = x.getType();
  double alpha = op.getAlpha().convertToDouble();
  Value gamma = floatConst(b, loc, t, op.getGamma().convertToDouble());
  Value nonPos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, x,
                                       floatConst(b, loc, t, 0.0));
  Value y = arith::SelectOp::create(b, loc, nonPos,
                                    expm1Scaled(b, loc, x, alpha), x);
  return arith::MulFOp::create(b, loc, y, gamma);
}

Value buildUnary(OpBuilder &b, Location loc, tg::CeluOp op, Value x) {
  Type t = x.getType();
  double alpha = op.getAlpha().convertToDouble();
  Value zero = floatConst(b, loc, t, 0.0);
  Value scaled = arith::DivFOp::create(b, loc, x, floatConst(b, loc, t, alpha));
  Value neg = arith::MinimumFOp::create(
      b, loc, zero, expm1Scaled(b, loc, scaled, alpha));
  Value pos = arith::MaximumFOp::create(b, loc, zero, x);
  return arith::AddFOp::create(b, loc, pos, neg);
}

Value buildUnary(OpBuilder &b, Location loc, tg::ThresholdedReluOp op,
                 Value x) {
  Type t = x.getType();
  Value above = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OGT, x,
      floatConst(b, loc, t, op.getAlpha().convertToDouble()));
  return arith::SelectOp::create(b, loc, above, x, floatConst(b, loc, t, 0.0));
}

Value buildUnary(OpBuilder &b, Location loc, tg::ShrinkOp op, Value x) {
  Type t = x.getType();
  double lambd = op.getLambd().convertToDouble();
  Value bias = floatConst(b, loc, t, op.getBias().convertToDouble());
  Value below = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                      floatConst(b, loc, t, -lambd));
  Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                      floatConst(b, loc, t, lambd));
  Value r = arith::SelectOp::create(b, loc, above,
                                    arith::SubFOp::create(b, loc, x, bias),
                                    floatConst(b, loc, t, 0.0));
  return arith::SelectOp::create(b, loc, below,
                                 arith::AddFOp::create(b, loc, x, bias), r);
}

/// Lowers IsNaN / IsInf to an i1 generic.
template <typename TgOp> struct FloatTestLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;

  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), resultType, ValueRange{adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          if constexpr (std::is_same_v<TgOp, tg::IsNaNOp>) {
            return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x,
                                         x);
          } else {
            auto ft = cast<FloatType>(x.getType());
            Value inf = arith::ConstantOp::create(
                b, loc,
                b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics())));
            Value negInf = arith::ConstantOp::create(
                b, loc,
                b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(),
                                                   /*Negative=*/true)));
            Value r = createScalar(b, loc, b.getI1Type(), 0);
            if (op.getDetectPositive())
              r = arith::OrIOp::create(
                  b, loc, r,
                  arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                                        inf));
            if (op.getDetectNegative())
              r = arith::OrIOp::create(
                  b, loc, r,
                  arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                                        negInf));
            return r;
          }
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers tg.clip: attribute bounds become constants, operand bounds
/// (rank-0 tensors) are broadcast inputs of the generic.
struct ClipLowering : OpConversionPattern<tg::ClipOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type type = resultType.getElementType();
    if (!isFloatOrSignlessInt(type))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    bool isFloat = isa<FloatType>(type);
    SmallVector<Value> inputs = {adaptor.getInput()};
    if (adaptor.getLower())
      inputs.push_back(adaptor.getLower());
    if (adaptor.getUpper())
      inputs.push_back(adaptor.getUpper());
    FloatAttr minAttr = op.getMinAttr(), maxAttr = op.getMaxAttr();
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), resultType, inputs,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          // ONNX Clip is min(max(x, lo), hi); maximumf/minimumf propagate
          // NaN. Integer attribute bounds round inwards.
          Value x = args[0];
          unsigned next = 1;
          Value lo;
          if (adaptor.getLower())
            lo = args[next++];
          else if (minAttr)
            lo = createScalar(b, loc, type,
                              isFloat ? minAttr.getValueAsDouble()
                                      : std::ceil(minAttr.getValueAsDouble()));
          if (lo)
            x = isFloat ? (Value)arith::MaximumFOp::create(b, loc, x, lo)
                        : (Value)arith::MaxSIOp::create(b, loc, x, lo);
          Value hi;
          if (adaptor.getUpper())
            hi = args[next++];
          else if (maxAttr)
            hi = createScalar(b, loc, type,
                              isFloat ? maxAttr.getValueAsDouble()
                                      : std::floor(maxAttr.getValueAsDouble()));
          if (hi)
            x = isFloat ? (Value)arith::MinimumFOp::create(b, loc, x, hi)
                        : (Value)arith::MinSIOp::create(b, loc, x, hi);
          return x;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers a unary op to a parallel linalg.generic around buildUnary.
template <typename TgOp> struct UnaryLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;

  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!isFloatOrSignlessInt(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    // Relu, Neg, Abs and Sign are defined on integers too; the others need
    // floats.
    constexpr bool integerOk =
        std::is_same_v<TgOp, tg::ReluOp> || std::is_same_v<TgOp, tg::NegOp> ||
        std::is_same_v<TgOp, tg::AbsOp> || std::is_same_v<TgOp, tg::SignOp>;
    if (!integerOk && !isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "expects floating-point elements");
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), resultType, ValueRange{adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildUnary(b, loc, op, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateElementwisePatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BinaryLowering<tg::AddOp, arith::AddFOp, arith::AddIOp>,
               BinaryLowering<tg::SubOp, arith::SubFOp, arith::SubIOp>,
               BinaryLowering<tg::MulOp, arith::MulFOp, arith::MulIOp>,
               BinaryLowering<tg::DivOp, arith::DivFOp, arith::DivSIOp,
                              arith::DivUIOp>,
               BinaryLowering<tg::MinOp, arith::MinimumFOp, arith::MinSIOp,
                              arith::MinUIOp>,
               BinaryLowering<tg::MaxOp, arith::MaximumFOp, arith::MaxSIOp,
                              arith::MaxUIOp>,
               BinaryLowering<tg::AndOp, arith::AndIOp, arith::AndIOp>,
               BinaryLowering<tg::OrOp, arith::OrIOp, arith::OrIOp>,
               BinaryLowering<tg::XorOp, arith::XOrIOp, arith::XOrIOp>,
               CastLowering, ModLowering, PowLowering, PReluLowering, WhereLowering,
               NotLowering>(ctx);
  using FP = arith::CmpFPredicate;
  using IP = arith::CmpIPredicate;
  patterns.add<
      CompareLowering<tg::EqualOp, FP::OEQ, IP::eq, IP::eq>,
      CompareLowering<tg::LessOp, FP::OLT, IP::slt, IP::ult>,
      CompareLowering<tg::LessEqualOp, FP::OLE, IP::sle, IP::ule>,
      CompareLowering<tg::GreaterOp, FP::OGT, IP::sgt, IP::ugt>,
      CompareLowering<tg::GreaterEqualOp, FP::OGE, IP::sge, IP::uge>>(ctx);
  patterns.add<UnaryLowering<tg::ReluOp>, UnaryLowering<tg::SigmoidOp>,
               UnaryLowering<tg::TanhOp>, UnaryLowering<tg::LeakyReluOp>,
               ClipLowering>(ctx);
  patterns.add<
      UnaryLowering<tg::ExpOp>, UnaryLowering<tg::LogOp>,
      UnaryLowering<tg::SqrtOp>, UnaryLowering<tg::ReciprocalOp>,
      UnaryLowering<tg::ErfOp>, UnaryLowering<tg::SinOp>,
      UnaryLowering<tg::CosOp>, UnaryLowering<tg::TanOp>,
      UnaryLowering<tg::AsinOp>, UnaryLowering<tg::AcosOp>,
      UnaryLowering<tg::AtanOp>, UnaryLowering<tg::SinhOp>,
      UnaryLowering<tg::CoshOp>, UnaryLowering<tg::AsinhOp>,
      UnaryLowering<tg::AcoshOp>, UnaryLowering<tg::AtanhOp>,
      UnaryLowering<tg::FloorOp>, UnaryLowering<tg::CeilOp>,
      UnaryLowering<tg::RoundOp>, UnaryLowering<tg::SoftplusOp>,
      UnaryLowering<tg::SoftsignOp>, UnaryLowering<tg::HardSwishOp>,
      UnaryLowering<tg::NegOp>, UnaryLowering<tg::AbsOp>,
      UnaryLowering<tg::SignOp>, UnaryLowering<tg::EluOp>,
      UnaryLowering<tg::SeluOp>, UnaryLowering<tg::CeluOp>,
      UnaryLowering<tg::HardSigmoidOp>, UnaryLowering<tg::ThresholdedReluOp>,
      UnaryLowering<tg::ShrinkOp>, FloatTestLowering<tg::IsNaNOp>,
      FloatTestLowering<tg::IsInfOp>>(ctx);
}
