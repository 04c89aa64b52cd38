//===- Elementwise.cpp - Lowering of elementwise tg ops -------------------===//
//
// Binary arithmetic (add, sub, mul, div) with numpy broadcasting and the
// unary activations (relu, leaky_relu, sigmoid, tanh, clip) become one
// parallel linalg.generic each. Broadcast operands are collapsed so that
// every indexing map stays a projected permutation.
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

/// Lowers a broadcasting binary op to a linalg.generic whose body is
/// `FloatOp` for floats and `IntOp` for signless integers.
template <typename TgOp, typename FloatOp, typename IntOp>
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
    if (!isFloatOrSignlessInt(elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    bool isFloat = isa<FloatType>(elementType);
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isFloat)
            return FloatOp::create(b, loc, args[0], args[1]);
          return IntOp::create(b, loc, args[0], args[1]);
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

Value buildUnary(OpBuilder &b, Location loc, tg::ClipOp op, Value x) {
  Type type = x.getType();
  bool isFloat = isa<FloatType>(type);
  // ONNX Clip is min(max(x, lo), hi); maximumf/minimumf propagate NaN.
  if (FloatAttr minAttr = op.getMinAttr()) {
    double lo = minAttr.getValueAsDouble();
    Value bound = createScalar(b, loc, type, isFloat ? lo : std::ceil(lo));
    x = isFloat ? (Value)arith::MaximumFOp::create(b, loc, x, bound)
                : (Value)arith::MaxSIOp::create(b, loc, x, bound);
  }
  if (FloatAttr maxAttr = op.getMaxAttr()) {
    double hi = maxAttr.getValueAsDouble();
    Value bound = createScalar(b, loc, type, isFloat ? hi : std::floor(hi));
    x = isFloat ? (Value)arith::MinimumFOp::create(b, loc, x, bound)
                : (Value)arith::MinSIOp::create(b, loc, x, bound);
  }
  return x;
}

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
    // Relu and Clip are defined on integers too; the others need floats.
    constexpr bool integerOk =
        std::is_same_v<TgOp, tg::ReluOp> || std::is_same_v<TgOp, tg::ClipOp>;
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
               BinaryLowering<tg::DivOp, arith::DivFOp, arith::DivSIOp>>(ctx);
  patterns.add<UnaryLowering<tg::ReluOp>, UnaryLowering<tg::SigmoidOp>,
               UnaryLowering<tg::TanhOp>, UnaryLowering<tg::LeakyReluOp>,
               UnaryLowering<tg::ClipOp>>(ctx);
}
