//===- Indexing.cpp - Indexing ops to linalg ------------------------------===//
//
// Lowering of the ops in IndexingOps.td to linalg/tensor/arith/scf.
//
// Gathers (tg.gather_elements, tg.gather_nd), masks and generators
// (tg.trilu, tg.one_hot, tg.range) are linalg.generic ops over the result
// that compute their source coordinates from linalg.index and read with
// tensor.extract. Scatters (tg.scatter_elements, tg.scatter_nd) write to
// data-dependent positions, which no generic can express, so they are an
// scf.for nest over the updates carrying the result tensor, with one
// tensor.insert per update (in place after bufferization). tg.nll_loss is
// a generic computing the per-element losses (and, for `mean`, one computing
// the per-element weights) followed by full reductions.
//
// Run-time indices are normalized the way tg.gather's lowering does it:
// negative ones count from the end, and what is still out of range is
// clamped, so no access is ever out of bounds. The static sizes that
// tg.one_hot and tg.range take from the model's recorded output shape are
// checked against their run-time inputs: a mismatch fails the run.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/RuntimeCheck.h"
#include "conversions/GraphToLinalg/Utils.h"
#include "tessera/Support/NodeName.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Fails the run with "tessera: <onnxOp> '<node>': <what>" unless `ok`
/// (see RuntimeCheck.h).
void emitRunTimeCheck(OpBuilder &b, Location loc, Operation *op, Value ok,
                      StringRef onnxOp, StringRef what) {
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "tessera: " << onnxOp;
  if (std::string name = tessera::getNodeName(loc); !name.empty())
    os << " '" << name << "'";
  os << ": " << what;
  emitRuntimeCheck(b, loc, op, ok, message);
}

/// `linalg.index` of every loop in [begin, end).
SmallVector<Value> loopIndices(OpBuilder &b, Location loc, int64_t begin,
                               int64_t end) {
  SmallVector<Value> indices;
  for (int64_t i = begin; i < end; ++i)
    indices.push_back(linalg::IndexOp::create(b, loc, i));
  return indices;
}

/// Reads the single element of a rank-0 tensor.
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  return tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
}

/// Reads element `i` of a 1-D tensor.
Value extractAt(OpBuilder &b, Location loc, Value tensor, int64_t i) {
  return tensor::ExtractOp::create(
      b, loc, tensor, ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
}

/// An `index` value as a signless integer of `type` (or a float of `type`).
Value indexToElement(OpBuilder &b, Location loc, Value index, Type type) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  if (isa<FloatType>(type))
    return arith::SIToFPOp::create(b, loc, type, i64);
  unsigned width = type.getIntOrFloatBitWidth();
  if (width < 64)
    return arith::TruncIOp::create(b, loc, type, i64);
  return i64;
}

/// The combination of an existing element with an update by a scatter op's
/// `reduction`.
Value combineScatter(OpBuilder &b, Location loc, StringRef reduction,
                     Value current, Value update) {
  if (reduction == "add")
    return createAdd(b, loc, current, update);
  if (reduction == "mul")
    return createMul(b, loc, current, update);
  return update;
}

/// Reductions other than `none` need arithmetic on the elements, which the
/// scalar builders support for floats and signless integers.
LogicalResult checkScatterElements(Operation *op, StringRef reduction,
                                   Type element) {
  if (reduction == "none" || isFloatOrSignlessInt(element))
    return success();
  return op->emitOpError("reduction '")
         << reduction << "' is not supported for elements of type " << element;
}

/// Builds the scf.for nest of a scatter op: loops over `shape`, carrying
/// `data`; `body` gets the induction variables and the carried tensor and
/// returns the updated tensor.
Value buildScatterLoops(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value data,
    function_ref<Value(OpBuilder &, Location, ValueRange, Value)> body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> lbs(shape.size(), zero), steps(shape.size(), one), ubs;
  for (int64_t size : shape)
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, size));
  scf::LoopNest nest =
      scf::buildLoopNest(b, loc, lbs, ubs, steps, ValueRange{data},
                         [&](OpBuilder &nested, Location l, ValueRange ivs,
                             ValueRange iterArgs) -> scf::ValueVector {
                           return {body(nested, l, ivs, iterArgs.front())};
                         });
  return nest.results.front();
}

/// Writes `update` at `dest` of `tensor`, combined with the element there by
/// `reduction`.
Value scatterOne(OpBuilder &b, Location loc, StringRef reduction, Value tensor,
                 ValueRange dest, Value update) {
  if (reduction != "none") {
    Value current = tensor::ExtractOp::create(b, loc, tensor, dest);
    update = combineScatter(b, loc, reduction, current, update);
  }
  return tensor::InsertOp::create(b, loc, update, tensor, dest);
}

//===----------------------------------------------------------------------===//
// Gathers and scatters
//===----------------------------------------------------------------------===//

/// tg.gather_elements: a generic over the indices reading
/// data[i..., indices[i...], ...] with the index at `axis`.
struct GatherElementsLowering : OpConversionPattern<tg::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    int64_t axis = *tg::normalizeAxis(op.getAxis(), rank);
    int64_t size = dataType.getDimSize(axis);
    Value data = adaptor.getData();
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result =
        buildGeneric(rewriter, loc, ValueRange{adaptor.getIndices()},
                     createEmpty(rewriter, loc, resultType), maps, iterators,
                     [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                       SmallVector<Value> coords = loopIndices(b, l, 0, rank);
                       coords[axis] = toClampedIndex(b, l, args[0], size);
                       return tensor::ExtractOp::create(b, l, data, coords);
                     });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.scatter_elements: loops over the indices, writing each update at its
/// position with the `axis` coordinate replaced by the index.
struct ScatterElementsLowering : OpConversionPattern<tg::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    StringRef reduction = op.getReduction();
    if (failed(checkScatterElements(op, reduction, dataType.getElementType())))
      return failure();
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t axis = *tg::normalizeAxis(op.getAxis(), dataType.getRank());
    int64_t size = dataType.getDimSize(axis);
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    Value result = buildScatterLoops(
        rewriter, op.getLoc(), indicesType.getShape(), adaptor.getData(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value tensor) {
          Value raw = tensor::ExtractOp::create(b, l, indices, ivs);
          SmallVector<Value> dest(ivs);
          dest[axis] = toClampedIndex(b, l, raw, size);
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          return scatterOne(b, l, reduction, tensor, dest, update);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reads the index tuple at `prefix` (the coordinates of indices without its
/// last dimension) and converts it to coordinates of `data` dimensions
/// [first, first + k).
SmallVector<Value> readIndexTuple(OpBuilder &b, Location loc, Value indices,
                                  ValueRange prefix, int64_t k,
                                  RankedTensorType dataType, int64_t first) {
  SmallVector<Value> coords;
  for (int64_t j = 0; j < k; ++j) {
    SmallVector<Value> at(prefix);
    at.push_back(arith::ConstantIndexOp::create(b, loc, j));
    Value raw = tensor::ExtractOp::create(b, loc, indices, at);
    coords.push_back(
        toClampedIndex(b, loc, raw, dataType.getDimSize(first + j)));
  }
  return coords;
}

/// tg.gather_nd: a generic over the result; loops [0, q-1) walk the index
/// tuples (the first batch_dims of them also index data), the remaining
/// loops walk the gathered slice.
struct GatherNDLowering : OpConversionPattern<tg::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank(), batch = op.getBatchDims();
    int64_t tupleLoops = indicesType.getRank() - 1;
    int64_t k = indicesType.getShape().back();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, createEmpty(rewriter, loc, resultType),
        maps, iterators, [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> prefix = loopIndices(b, l, 0, tupleLoops);
          SmallVector<Value> coords(prefix.begin(), prefix.begin() + batch);
          llvm::append_range(coords, readIndexTuple(b, l, indices, prefix, k,
                                                    dataType, batch));
          llvm::append_range(coords, loopIndices(b, l, tupleLoops, rank));
          return tensor::ExtractOp::create(b, l, data, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tg.scatter_nd: loops over the updates; the first q-1 loops pick an index
/// tuple, the others walk the slice it addresses.
struct ScatterNDLowering : OpConversionPattern<tg::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    StringRef reduction = op.getReduction();
    if (failed(checkScatterElements(op, reduction, dataType.getElementType())))
      return failure();
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    auto updatesType = cast<RankedTensorType>(op.getUpdates().getType());
    int64_t tupleLoops = indicesType.getRank() - 1;
    int64_t k = indicesType.getShape().back();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    Value result = buildScatterLoops(
        rewriter, op.getLoc(), updatesType.getShape(), adaptor.getData(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value tensor) {
          SmallVector<Value> dest = readIndexTuple(
              b, l, indices, ivs.take_front(tupleLoops), k, dataType, 0);
          llvm::append_range(dest, ivs.drop_front(tupleLoops));
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          return scatterOne(b, l, reduction, tensor, dest, update);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Generators and masks
//===----------------------------------------------------------------------===//

/// tg.trilu: an elementwise generic that keeps an element when
/// `col - row >= k` (upper) or `<= k` (lower), else yields zero.
struct TriluLowering : OpConversionPattern<tg::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    if (!isFloatOrSignlessInt(element))
      return op.emitOpError("unsupported element type ") << element;
    int64_t rank = type.getRank();
    Value k = adaptor.getK() ? extractScalar(rewriter, loc, adaptor.getK())
                             : (Value)arith::ConstantIntOp::create(
                                   rewriter, loc, rewriter.getI64Type(), 0);
    bool upper = op.getUpper();
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result = buildGeneric(
        rewriter, loc, ValueRange{adaptor.getInput()},
        createEmpty(rewriter, loc, type), maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Type i64 = b.getI64Type();
          Value row = indexToElement(
              b, l, linalg::IndexOp::create(b, l, rank - 2), i64);
          Value col = indexToElement(
              b, l, linalg::IndexOp::create(b, l, rank - 1), i64);
          Value diagonal = arith::SubIOp::create(b, l, col, row);
          Value keep = arith::CmpIOp::create(b, l,
                                             upper ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sle,
                                             diagonal, k);
          return arith::SelectOp::create(b, l, keep, args[0],
                                         createScalar(b, l, element, 0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Converts an index element (integer, or float truncated toward zero) to
/// i64.
Value indexElementToI64(OpBuilder &b, Location loc, Value raw) {
  Type type = raw.getType(), i64 = b.getI64Type();
  if (isa<FloatType>(type))
    return arith::FPToSIOp::create(b, loc, i64, raw);
  bool isUnsigned = type.isUnsignedInteger();
  Type signless = toSignless(type);
  if (signless != type)
    raw =
        UnrealizedConversionCastOp::create(b, loc, signless, raw).getResult(0);
  if (signless.getIntOrFloatBitWidth() == 64)
    return raw;
  return isUnsigned ? (Value)arith::ExtUIOp::create(b, loc, i64, raw)
                    : (Value)arith::ExtSIOp::create(b, loc, i64, raw);
}

/// tg.one_hot: a generic over the result reading the index of every
/// position but `axis`; yields `values[1]` where the `axis` coordinate equals
/// the (wrapped) index, else `values[0]`.
struct OneHotLowering : OpConversionPattern<tg::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank(), depth = op.getDepth();
    int64_t axis = *tg::normalizeAxis(op.getAxis(), rank);
    if (Value runtimeDepth = adaptor.getRuntimeDepth()) {
      auto depthType = cast<RankedTensorType>(runtimeDepth.getType());
      SmallVector<Value> zeros(
          depthType.getRank(),
          arith::ConstantIndexOp::create(rewriter, loc, 0));
      Value given = indexElementToI64(
          rewriter, loc,
          tensor::ExtractOp::create(rewriter, loc, runtimeDepth, zeros));
      Value ok = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, given,
          arith::ConstantIntOp::create(rewriter, loc, rewriter.getI64Type(),
                                       depth));
      emitRunTimeCheck(rewriter, loc, op, ok, "OneHot",
                       "the run-time depth input is not " +
                           std::to_string(depth) +
                           ", the depth the model was compiled for (from "
                           "its recorded output shape)");
    }
    Value off = extractAt(rewriter, loc, adaptor.getValues(), 0);
    Value on = extractAt(rewriter, loc, adaptor.getValues(), 1);
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis)
        indexExprs.push_back(rewriter.getAffineDimExpr(i));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, indexExprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result = buildGeneric(
        rewriter, loc, ValueRange{adaptor.getIndices()},
        createEmpty(rewriter, loc, type), maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Type i64 = b.getI64Type();
          Value idx = indexElementToI64(b, l, args[0]);
          Value zero = arith::ConstantIntOp::create(b, l, i64, 0);
          Value negative =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, zero);
          Value wrapped = arith::AddIOp::create(
              b, l, idx, arith::ConstantIntOp::create(b, l, i64, depth));
          idx = arith::SelectOp::create(b, l, negative, wrapped, idx);
          Value position =
              indexToElement(b, l, linalg::IndexOp::create(b, l, axis), i64);
          Value hot = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx,
                                            position);
          return arith::SelectOp::create(b, l, hot, on, off);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Whether ONNX Range's length `max(ceil((limit - start) / delta), 0)` is
/// `length` (false for a zero delta).
Value rangeLengthMatches(OpBuilder &b, Location loc, Value start, Value limit,
                         Value delta, int64_t length) {
  Type type = start.getType();
  Value zero = createScalar(b, loc, type, 0);
  Value span = isa<FloatType>(type)
                   ? (Value)arith::SubFOp::create(b, loc, limit, start)
                   : (Value)arith::SubIOp::create(b, loc, limit, start);
  Value count, nonZero;
  if (isa<FloatType>(type)) {
    nonZero =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, delta, zero);
    count = math::CeilOp::create(b, loc,
                                 arith::DivFOp::create(b, loc, span, delta));
    count = arith::MaximumFOp::create(b, loc, count, zero);
    return arith::AndIOp::create(
        b, loc, nonZero,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, count,
                              createScalar(b, loc, type, length)));
  }
  nonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, delta, zero);
  // Divide by 1 instead of 0: the result is then discarded by `nonZero`.
  Value safeDelta = arith::SelectOp::create(b, loc, nonZero, delta,
                                            createScalar(b, loc, type, 1));
  count = arith::CeilDivSIOp::create(b, loc, span, safeDelta);
  count = arith::MaxSIOp::create(b, loc, count, zero);
  return arith::AndIOp::create(
      b, loc, nonZero,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count,
                            createScalar(b, loc, type, length)));
}

/// tg.range: a generic yielding `start + i * delta`, after a run-time check
/// that the inputs give the static length.
struct RangeLowering : OpConversionPattern<tg::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tg::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Value start = extractScalar(rewriter, loc, adaptor.getStart());
    Value delta = extractScalar(rewriter, loc, adaptor.getDelta());
    Value limit = extractScalar(rewriter, loc, adaptor.getLimit());
    emitRunTimeCheck(rewriter, loc, op,
                     rangeLengthMatches(rewriter, loc, start, limit, delta,
                                        type.getDimSize(0)),
                     "Range",
                     "the run-time start, limit and delta do not give " +
                         std::to_string(type.getDimSize(0)) +
                         " elements, the length the model was compiled for "
                         "(from its recorded output shape)");
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(1)};
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, createEmpty(rewriter, loc, type), maps,
        {utils::IteratorType::parallel},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Value i =
              indexToElement(b, l, linalg::IndexOp::create(b, l, 0), element);
          return createAdd(b, l, start, createMul(b, l, i, delta));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// A full sum of `value` into a rank-0 tensor.
Value sumAll(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  Type element = type.getElementType();
  int64_t rank = type.getRank();
  Value init = createFilled(b, loc, RankedTensorType::get({}, element),
                            createScalar(b, loc, element, 0));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, {}, b.getContext())};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  return buildGeneric(b, loc, ValueRange{value}, init, maps, iterators,
                      [](OpBuilder &nb, Location l, ValueRange args) {
                        return createAdd(nb, l, args[0], args[1]);
                      });
}

/// tg.nll_loss. Per element of the target: the class `c` (clamped), its
/// weight `w` (weight[c] or 1, and 0 where ignored) and the loss `-x * w`
/// with `x = input[n, c, d...]` (0 where ignored). `sum` adds the losses,
/// `mean` divides that by the sum of the weights.
struct NLLLossLowering : OpConversionPattern<tg::NLLLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::NLLLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto targetType = cast<RankedTensorType>(op.getTarget().getType());
    Type element = inputType.getElementType();
    auto lossType = RankedTensorType::get(targetType.getShape(), element);
    int64_t rank = targetType.getRank();
    int64_t classes = inputType.getDimSize(1);
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    std::optional<int64_t> ignoreIndex = op.getIgnoreIndex();

    // The weight of one element and whether it counts (not ignored).
    auto elementWeight = [&](OpBuilder &b, Location l, Value target,
                             Value cls) -> std::pair<Value, Value> {
      Value counts;
      if (ignoreIndex) {
        Value signlessTarget = indexElementToI64(b, l, target);
        Value ignored =
            arith::ConstantIntOp::create(b, l, b.getI64Type(), *ignoreIndex);
        counts = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne,
                                       signlessTarget, ignored);
      } else {
        counts = arith::ConstantIntOp::create(b, l, 1, 1);
      }
      Value w = weight ? (Value)tensor::ExtractOp::create(b, l, weight,
                                                          ValueRange{cls})
                       : createScalar(b, l, element, 1);
      Value zero = createScalar(b, l, element, 0);
      return {arith::SelectOp::create(b, l, counts, w, zero), counts};
    };

    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value losses = buildGeneric(
        rewriter, loc, ValueRange{adaptor.getTarget()},
        createEmpty(rewriter, loc, lossType), maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value cls = toClampedIndex(b, l, args[0], classes,
                                     /*wrapNegative=*/false);
          SmallVector<Value> coords = loopIndices(b, l, 0, rank);
          coords.insert(coords.begin() + 1, cls);
          Value x = tensor::ExtractOp::create(b, l, input, coords);
          auto [w, counts] = elementWeight(b, l, args[0], cls);
          Value loss =
              arith::NegFOp::create(b, l, arith::MulFOp::create(b, l, x, w));
          return arith::SelectOp::create(b, l, counts, loss,
                                         createScalar(b, l, element, 0));
        });

    StringRef reduction = op.getReduction();
    if (reduction == "none") {
      rewriter.replaceOp(op, losses);
      return success();
    }
    Value total = sumAll(rewriter, loc, losses);
    if (reduction == "sum") {
      rewriter.replaceOp(op, total);
      return success();
    }
    // mean: divide by the total weight of the counted elements.
    Value weights =
        buildGeneric(rewriter, loc, ValueRange{adaptor.getTarget()},
                     createEmpty(rewriter, loc, lossType), maps, iterators,
                     [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                       Value cls = toClampedIndex(b, l, args[0], classes,
                                                  /*wrapNegative=*/false);
                       return elementWeight(b, l, args[0], cls).first;
                     });
    Value totalWeight = sumAll(rewriter, loc, weights);
    auto scalarType = RankedTensorType::get({}, element);
    SmallVector<AffineMap> scalarMaps(3, AffineMap::get(rewriter.getContext()));
    Value mean =
        buildGeneric(rewriter, loc, ValueRange{total, totalWeight},
                     createEmpty(rewriter, loc, scalarType), scalarMaps, {},
                     [](OpBuilder &b, Location l, ValueRange args) -> Value {
                       return arith::DivFOp::create(b, l, args[0], args[1]);
                     });
    rewriter.replaceOp(op, mean);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateIndexingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<GatherElementsLowering, ScatterElementsLowering,
               GatherNDLowering, ScatterNDLowering, TriluLowering,
               OneHotLowering, RangeLowering, NLLLossLowering>(
      patterns.getContext());
}
