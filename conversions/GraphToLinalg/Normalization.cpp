//===- Normalization.cpp - Lowering of batch_norm and softmax -------------===//
//
// tg.batch_norm is one linalg.generic that reads the per-channel parameters
// through channel-indexed maps. tg.softmax and tg.log_softmax are the
// numerically stable sequence max-reduce, exp(x - max), sum-reduce, then
// divide (or x - max - log(sum)). Softmax stores the exponentials and
// divides them in place, so each is computed once.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

/// Lowers tg.batch_norm: ((x - mean) / sqrt(var + eps)) * scale + bias.
struct BatchNormLowering : OpConversionPattern<tg::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "expects floating-point elements");
    int64_t rank = resultType.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, rewriter.getAffineDimExpr(1));
    double epsilon = op.getEpsilon().convertToDouble();
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result = buildGeneric(
        rewriter, loc,
        ValueRange{adaptor.getInput(), adaptor.getScale(), adaptor.getBias(),
                   adaptor.getMean(), adaptor.getVariance()},
        createEmpty(rewriter, loc, resultType),
        {identity, channel, channel, channel, channel, identity}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = args[0], scale = args[1], bias = args[2], mean = args[3],
                var = args[4];
          Value eps = createScalar(b, l, elementType, epsilon);
          Value stddev =
              math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, var, eps));
          Value centered = arith::SubFOp::create(b, l, x, mean);
          Value normalized = arith::DivFOp::create(b, l, centered, stddev);
          Value scaled = arith::MulFOp::create(b, l, normalized, scale);
          return arith::AddFOp::create(b, l, scaled, bias);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reduces `input` along `axis` into a tensor without that dimension,
/// starting from `identity` and combining with `combine(acc, element)`.
Value reduceAlong(
    OpBuilder &b, Location loc, Value input, int64_t axis, Value identity,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> reducedShape;
  SmallVector<AffineExpr> reducedExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    iterators.push_back(i == axis ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
    if (i == axis)
      continue;
    reducedShape.push_back(type.getDimSize(i));
    reducedExprs.push_back(b.getAffineDimExpr(i));
  }
  auto reducedType = RankedTensorType::get(reducedShape, type.getElementType());
  Value init = createFilled(b, loc, reducedType, identity);
  return buildGeneric(b, loc, ValueRange{input}, init,
                      {b.getMultiDimIdentityMap(rank),
                       AffineMap::get(rank, 0, reducedExprs, b.getContext())},
                      iterators,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return combine(nb, nl, args[1], args[0]);
                      });
}

/// Lowers tg.softmax (`Log == false`) and tg.log_softmax (`Log == true`).
template <typename TgOp, bool Log>
struct SoftmaxLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;

  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    if (!isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "expects floating-point elements");
    int64_t rank = type.getRank();
    std::optional<int64_t> axis =
        tessera::graph::normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Value input = adaptor.getInput();

    // Maps of the full and the reduced tensors inside elementwise generics.
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<AffineExpr> reducedExprs;
    for (int64_t i = 0; i < rank; ++i)
      if (i != *axis)
        reducedExprs.push_back(rewriter.getAffineDimExpr(i));
    AffineMap reduced =
        AffineMap::get(rank, 0, reducedExprs, rewriter.getContext());
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);

    Value max = reduceAlong(
        rewriter, loc, input, *axis, createLowest(rewriter, loc, elementType),
        [](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          return arith::MaximumFOp::create(b, l, acc, x);
        });
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    auto reducedType = cast<RankedTensorType>(max.getType());
    Value sumInit = createFilled(rewriter, loc, reducedType, zero);
    SmallVector<utils::IteratorType> reduction(parallel);
    reduction[*axis] = utils::IteratorType::reduction;
    auto shift = [](OpBuilder &b, Location l, ValueRange args) -> Value {
      return arith::SubFOp::create(b, l, args[0], args[1]);
    };
    Value result;
    if constexpr (Log) {
      // sum(exp(x - max)) in one reduction: the exponentials are not needed
      // afterwards.
      Value sum = buildGeneric(
          rewriter, loc, ValueRange{input, max}, sumInit,
          {identity, reduced, reduced}, reduction,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value exp = math::ExpOp::create(b, l, shift(b, l, args));
            return arith::AddFOp::create(b, l, args[2], exp);
          });
      result = buildGeneric(
          rewriter, loc, ValueRange{input, max, sum},
          createEmpty(rewriter, loc, type),
          {identity, reduced, reduced, identity}, parallel,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value shifted = shift(b, l, args);
            Value logSum = math::LogOp::create(b, l, args[2]);
            return arith::SubFOp::create(b, l, shifted, logSum);
          });
    } else {
      // exp(x - max) once, as an elementwise op of its own (a loop that
      // vectorizes), then the sum over it and the division in place: folding
      // the exponential into both the sum and the division computed it twice.
      Value exp = buildGeneric(
          rewriter, loc, ValueRange{input, max},
          createEmpty(rewriter, loc, type), {identity, reduced, identity},
          parallel, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            return math::ExpOp::create(b, l, shift(b, l, args));
          });
      Value sum = buildGeneric(
          rewriter, loc, ValueRange{exp}, sumInit, {identity, reduced},
          reduction, [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::AddFOp::create(b, l, args[1], args[0]);
          });
      result = buildGeneric(
          rewriter, loc, ValueRange{sum}, exp, {reduced, identity}, parallel,
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::DivFOp::create(b, l, args[1], args[0]);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateNormalizationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, SoftmaxLowering<tg::SoftmaxOp, false>,
               SoftmaxLowering<tg::LogSoftmaxOp, true>>(patterns.getContext());
}
