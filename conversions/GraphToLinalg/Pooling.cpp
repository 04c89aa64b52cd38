//===- Pooling.cpp - Lowering of the tg pooling ops -----------------------===//
//
// tg.max_pool pads with -inf and reduces with linalg.pooling_nchw_max
// (pooling_ncw_max in 1-D, a window-reduction linalg.generic otherwise;
// unsigned integers pad with 0 and always take the generic, whose body
// compares the elements as unsigned).
// tg.average_pool sums over the zero-padded input the same way, then
// divides by the window size: a scalar when every window counts the same
// number of elements, else a constant tensor of per-position divisors
// computed here (count_include_pad counts the explicit pads but never the
// ceil-mode overhang, as ONNX and PyTorch do). ceil_mode adds end padding
// so the windows of the inferred result type fit. tg.global_average_pool is
// a sum reduction over the spatial dimensions and a division.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

enum class PoolKind { Max, MaxUnsigned, Sum };

/// The attributes of a pooling op.
struct Window {
  ArrayRef<int64_t> kernel, strides, pads, dilations;
};

/// Pads `input` (N x C x S...) with `padValue`: the explicit pads, plus end
/// padding so that every window of `resultType` lies inside the tensor.
Value padForWindows(OpBuilder &b, Location loc, Value input,
                    RankedTensorType resultType, const Window &w,
                    Value padValue) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t spatial = w.kernel.size();
  SmallVector<int64_t> low(2, 0), high(2, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = inputType.getDimSize(2 + i);
    int64_t out = resultType.getDimSize(2 + i);
    int64_t needed =
        (out - 1) * w.strides[i] + w.dilations[i] * (w.kernel[i] - 1) + 1;
    int64_t padded = in + w.pads[i] + w.pads[spatial + i];
    low.push_back(w.pads[i]);
    high.push_back(w.pads[spatial + i] + std::max<int64_t>(0, needed - padded));
  }
  return padTensor(b, loc, input, low, high, padValue);
}

/// Reduces every window of `input` into `init` (N x C x O...).
Value buildWindowReduction(OpBuilder &b, Location loc, Value input, Value init,
                           const Window &w, PoolKind kind) {
  auto initType = cast<RankedTensorType>(init.getType());
  Type elementType = initType.getElementType();
  int64_t spatial = w.kernel.size();
  Value window =
      createEmpty(b, loc, RankedTensorType::get(w.kernel, elementType));
  DenseIntElementsAttr strides = b.getI64TensorAttr(w.strides);
  DenseIntElementsAttr dilations = b.getI64TensorAttr(w.dilations);
  // Owned storage: a ValueRange built from a braced list would dangle.
  SmallVector<Type> resultTypes = {initType};
  SmallVector<Value> inputs = {input, window};
  SmallVector<Value> outputs = {init};
  if (spatial == 2 && kind == PoolKind::Max)
    return linalg::PoolingNchwMaxOp::create(b, loc, resultTypes, inputs,
                                            outputs, strides, dilations)
        .getResult(0);
  if (spatial == 2 && kind == PoolKind::Sum)
    return linalg::PoolingNchwSumOp::create(b, loc, resultTypes, inputs,
                                            outputs, strides, dilations)
        .getResult(0);
  if (spatial == 1 && kind == PoolKind::Max)
    return linalg::PoolingNcwMaxOp::create(b, loc, resultTypes, inputs, outputs,
                                           strides, dilations)
        .getResult(0);
  if (spatial == 1 && kind == PoolKind::Sum)
    return linalg::PoolingNcwSumOp::create(b, loc, resultTypes, inputs, outputs,
                                           strides, dilations)
        .getResult(0);

  // Any other rank: loops (n, c, o_1..o_s, k_1..k_s); the window tensor
  // only carries the kernel sizes.
  MLIRContext *ctx = b.getContext();
  int64_t numLoops = 2 + 2 * spatial;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inputExprs = {d(0), d(1)}, windowExprs,
                          outputExprs = {d(0), d(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = d(2 + i), k = d(2 + spatial + i);
    inputExprs.push_back(o * w.strides[i] + k * w.dilations[i]);
    windowExprs.push_back(k);
    outputExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, inputExprs, ctx),
                                 AffineMap::get(numLoops, 0, windowExprs, ctx),
                                 AffineMap::get(numLoops, 0, outputExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(2 + spatial,
                                             utils::IteratorType::parallel);
  iterators.append(spatial, utils::IteratorType::reduction);
  return buildGeneric(
      b, loc, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        if (kind == PoolKind::Max)
          return createMax(nb, nl, args[2], args[0]);
        if (kind == PoolKind::MaxUnsigned) {
          // arith works on signless integers: cast around an unsigned max.
          Type signless = toSignless(elementType);
          auto cast = [&](Type type, Value v) {
            return UnrealizedConversionCastOp::create(nb, nl, type, v)
                .getResult(0);
          };
          Value max = arith::MaxUIOp::create(nb, nl, cast(signless, args[2]),
                                             cast(signless, args[0]));
          return cast(elementType, max);
        }
        return createAdd(nb, nl, args[2], args[0]);
      });
}

/// Lowers tg.max_pool.
struct MaxPoolLowering : OpConversionPattern<tg::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    bool isUnsigned = elementType.isUnsignedInteger();
    if (!isFloatOrSignlessInt(elementType) && !isUnsigned)
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    Window w{op.getKernelShape(), op.getStrides(), op.getPads(),
             op.getDilations()};
    Value lowest;
    if (isUnsigned) {
      // 0 is the smallest unsigned value; arith constants are signless.
      Value zero = createScalar(rewriter, loc, toSignless(elementType), 0.0);
      lowest =
          UnrealizedConversionCastOp::create(rewriter, loc, elementType, zero)
              .getResult(0);
    } else {
      lowest = createLowest(rewriter, loc, elementType);
    }
    Value input =
        padForWindows(rewriter, loc, adaptor.getInput(), resultType, w, lowest);
    Value init = createFilled(rewriter, loc, resultType, lowest);
    rewriter.replaceOp(op,
                       buildWindowReduction(rewriter, loc, input, init, w,
                                            isUnsigned ? PoolKind::MaxUnsigned
                                                       : PoolKind::Max));
    return success();
  }
};

/// Number of taps of each window along one spatial dimension that fall in
/// [lo, hi) of the unpadded index space.
SmallVector<int64_t> countTaps(int64_t outSize, int64_t kernel, int64_t stride,
                               int64_t dilation, int64_t padBegin, int64_t lo,
                               int64_t hi) {
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < outSize; ++o) {
    int64_t count = 0;
    for (int64_t k = 0; k < kernel; ++k) {
      int64_t pos = o * stride - padBegin + k * dilation;
      if (pos >= lo && pos < hi)
        ++count;
    }
    counts.push_back(count);
  }
  return counts;
}

/// Lowers tg.average_pool.
struct AveragePoolLowering : OpConversionPattern<tg::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::AveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "expects floating-point elements");
    Window w{op.getKernelShape(), op.getStrides(), op.getPads(),
             op.getDilations()};
    int64_t spatial = w.kernel.size();
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value input =
        padForWindows(rewriter, loc, adaptor.getInput(), resultType, w, zero);
    Value init = createFilled(rewriter, loc, resultType, zero);
    Value sum =
        buildWindowReduction(rewriter, loc, input, init, w, PoolKind::Sum);

    // Divisors per spatial dimension; the window size of a position is
    // their product.
    SmallVector<SmallVector<int64_t>> counts;
    bool uniform = true;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inputType.getDimSize(2 + i);
      int64_t padBegin = w.pads[i], padEnd = w.pads[spatial + i];
      int64_t lo = op.getCountIncludePad() ? -padBegin : 0;
      int64_t hi = op.getCountIncludePad() ? in + padEnd : in;
      counts.push_back(countTaps(resultType.getDimSize(2 + i), w.kernel[i],
                                 w.strides[i], w.dilations[i], padBegin, lo,
                                 hi));
      uniform &= llvm::all_equal(counts.back());
    }
    Value result;
    if (uniform) {
      int64_t size = 1;
      for (auto &c : counts)
        size *= c.front();
      result = buildBroadcastElementwise(
          rewriter, loc, resultType, ValueRange{sum},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value divisor = createScalar(b, l, elementType, (double)size);
            return arith::DivFOp::create(b, l, args[0], divisor);
          });
    } else {
      // A constant O_1 x ... x O_s tensor of divisors.
      SmallVector<int64_t> outShape(resultType.getShape().drop_front(2));
      int64_t total = 1;
      for (int64_t d : outShape)
        total *= d;
      SmallVector<double> divisors(total, 1.0);
      for (int64_t flat = 0; flat < total; ++flat) {
        int64_t rest = flat;
        for (int64_t i = spatial - 1; i >= 0; --i) {
          divisors[flat] *= counts[i][rest % outShape[i]];
          rest /= outShape[i];
        }
      }
      auto divisorType = RankedTensorType::get(outShape, elementType);
      SmallVector<APFloat> values;
      auto &semantics = cast<FloatType>(elementType).getFloatSemantics();
      for (double d : divisors) {
        APFloat v(d);
        bool losesInfo;
        v.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
        values.push_back(v);
      }
      Value divisorTensor = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(divisorType, values));
      result = buildBroadcastElementwise(
          rewriter, loc, resultType, ValueRange{sum, divisorTensor},
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::DivFOp::create(b, l, args[0], args[1]);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers tg.global_average_pool: sum over the spatial dimensions into an
/// N x C tensor, divide, and expand to N x C x 1 x ... x 1.
struct GlobalAveragePoolLowering
    : OpConversionPattern<tg::GlobalAveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::GlobalAveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    if (!isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "expects floating-point elements");
    int64_t rank = inputType.getRank();
    int64_t size = 1;
    for (int64_t d : inputType.getShape().drop_front(2))
      size *= d;
    auto reducedType = RankedTensorType::get(
        {inputType.getDimSize(0), inputType.getDimSize(1)}, elementType);
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value init = createFilled(rewriter, loc, reducedType, zero);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    iterators[0] = iterators[1] = utils::IteratorType::parallel;
    AffineMap outMap = AffineMap::get(
        rank, 0, {rewriter.getAffineDimExpr(0), rewriter.getAffineDimExpr(1)},
        rewriter.getContext());
    Value sum =
        buildGeneric(rewriter, loc, ValueRange{adaptor.getInput()}, init,
                     {rewriter.getMultiDimIdentityMap(rank), outMap}, iterators,
                     [](OpBuilder &b, Location l, ValueRange args) {
                       return createAdd(b, l, args[1], args[0]);
                     });
    Value mean = buildBroadcastElementwise(
        rewriter, loc, reducedType, ValueRange{sum},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value divisor = createScalar(b, l, elementType, (double)size);
          return arith::DivFOp::create(b, l, args[0], divisor);
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, mean, resultType));
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populatePoolingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, AveragePoolLowering, GlobalAveragePoolLowering>(
      patterns.getContext());
}
