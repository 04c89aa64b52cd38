//===- Reduction.cpp - Reduction ops to linalg ----------------------------===//
//
// Lowering of the ops in ReductionOps.td to linalg/tensor/arith:
//  - tg.reduce_* is one linalg.generic reducing into a tensor filled with
//    the identity (0, 1, -inf/+inf or the integer extremes), then a divide
//    for the mean and an expand_shape for keepdims. Axes given at run time
//    select, with scf.index_switch, among the reductions that give the
//    result shape; axes naming none of them fail the run with an error.
//  - tg.arg_max/arg_min reduce into a (value, index) pair of outputs;
//    tg.hardmax compares the index of the maximum with linalg.index.
//  - tg.top_k ranks every element among its row (a strict order: by value,
//    then by index) and then gathers the elements of rank 0..k-1.
//  - tg.cumsum sums, for every position, the elements before (or after)
//    it; a run-time axis is picked with scf.index_switch.
// The rank computation of top_k and the cumulative sum are quadratic in the
// length of the axis: simple, fully parallel generics, meant for the short
// axes these ops see in practice.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/RuntimeCheck.h"
#include "conversions/GraphToLinalg/Utils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ReductionUtils.h"
#include "tessera/Support/NodeName.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tessera::graph_to_linalg;
namespace tg = tessera::graph;

namespace {

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// The message of a failed run-time check of `op`: "tessera: <OnnxOp>
/// '<node>': <what>".
std::string runtimeMessage(Operation *op, StringRef onnxName, StringRef what) {
  std::string message = "tessera: " + onnxName.str();
  if (std::string name = tessera::getNodeName(op->getLoc()); !name.empty())
    message += " '" + name + "'";
  return message + ": " + what.str();
}

/// Element `index` of a 1-D (or rank-0) integer tensor, as i64.
Value extractI64(OpBuilder &b, Location loc, Value tensor, int64_t index) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> indices;
  if (type.getRank() == 1)
    indices.push_back(arith::ConstantIndexOp::create(b, loc, index));
  Value v = tensor::ExtractOp::create(b, loc, tensor, indices);
  if (v.getType() != b.getI64Type())
    v = arith::ExtSIOp::create(b, loc, b.getI64Type(), v);
  return v;
}

/// `v < 0 ? v + rank : v` for an i64 axis.
Value normalizeAxisValue(OpBuilder &b, Location loc, Value v, int64_t rank) {
  Value zero = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
  Value shifted = arith::AddIOp::create(
      b, loc, v, arith::ConstantIntOp::create(b, loc, b.getI64Type(), rank));
  return arith::SelectOp::create(b, loc, negative, shifted, v);
}

/// Builds `scf.index_switch` on the i64 `selector`: case `i` (for `i` in
/// [0, numCases)) yields `buildCase(i)`; any other value fails the run with
/// `message` and yields zeros of `type`.
Value buildRuntimeSwitch(OpBuilder &b, Location loc, Operation *op,
                         Value selector, int64_t numCases,
                         RankedTensorType type, StringRef message,
                         function_ref<Value(OpBuilder &, int64_t)> buildCase) {
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), selector);
  SmallVector<int64_t> cases;
  for (int64_t i = 0; i < numCases; ++i)
    cases.push_back(i);
  auto switchOp = scf::IndexSwitchOp::create(b, loc, TypeRange{type}, index,
                                             cases, numCases);
  OpBuilder::InsertionGuard guard(b);
  for (int64_t i = 0; i < numCases; ++i) {
    Block &block = switchOp.getCaseRegions()[i].emplaceBlock();
    b.setInsertionPointToStart(&block);
    scf::YieldOp::create(b, loc, buildCase(b, i));
  }
  Block &fallback = switchOp.getDefaultRegion().emplaceBlock();
  b.setInsertionPointToStart(&fallback);
  emitRuntimeCheck(b, loc, op, arith::ConstantIntOp::create(b, loc, 0, 1),
                   message);
  Value zeros = createFilled(b, loc, type,
                             createScalar(b, loc, type.getElementType(), 0));
  scf::YieldOp::create(b, loc, zeros);
  return switchOp.getResult(0);
}

/// The largest value of a float (+inf) or signless integer type.
Value createHighest(OpBuilder &b, Location loc, Type elementType) {
  if (auto floatType = dyn_cast<FloatType>(elementType))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(elementType,
                       APFloat::getInf(floatType.getFloatSemantics())));
  unsigned width = elementType.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(elementType, APInt::getSignedMaxValue(width)));
}

/// `linalg.index dim` as an i64.
Value indexI64(OpBuilder &b, Location loc, int64_t dim) {
  Value index = linalg::IndexOp::create(b, loc, dim);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// The indexing map of a tensor reduced along `axes` (without them) inside
/// loops over the dimensions of the unreduced tensor.
AffineMap reducedMap(OpBuilder &b, int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(axes, i))
      exprs.push_back(b.getAffineDimExpr(i));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

//===----------------------------------------------------------------------===//
// tg.reduce_*
//===----------------------------------------------------------------------===//

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

/// The identity of the reduction `kind` on `elementType`.
Value createIdentity(OpBuilder &b, Location loc, ReduceKind kind,
                     Type elementType) {
  switch (kind) {
  case ReduceKind::Sum:
  case ReduceKind::Mean:
    return createScalar(b, loc, elementType, 0);
  case ReduceKind::Prod:
    return createScalar(b, loc, elementType, 1);
  case ReduceKind::Max:
    return createLowest(b, loc, elementType);
  case ReduceKind::Min:
    return createHighest(b, loc, elementType);
  }
  llvm_unreachable("unknown reduction");
}

/// Combines an accumulator and an element. Float max/min propagate NaN, as
/// numpy (the ONNX reference) does.
Value combine(OpBuilder &b, Location loc, ReduceKind kind, Value acc, Value x) {
  bool isFloat = isa<FloatType>(x.getType());
  switch (kind) {
  case ReduceKind::Sum:
  case ReduceKind::Mean:
    return createAdd(b, loc, acc, x);
  case ReduceKind::Prod:
    return createMul(b, loc, acc, x);
  case ReduceKind::Max:
    return createMax(b, loc, acc, x);
  case ReduceKind::Min:
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, acc, x);
    return arith::MinSIOp::create(b, loc, acc, x);
  }
  llvm_unreachable("unknown reduction");
}

/// Reduces the static `input` along the sorted `axes` to `resultType`
/// (which has the reduced dimensions removed or, with keepdims, as 1s).
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, RankedTensorType resultType,
                     ReduceKind kind) {
  if (axes.empty())
    return reshapeTo(b, loc, input, resultType);
  auto type = cast<RankedTensorType>(input.getType());
  Type elementType = type.getElementType();
  int64_t rank = type.getRank();
  auto reducedType = RankedTensorType::get(
      tg::reducedShape(type.getShape(), axes, /*keepDims=*/false), elementType);
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i)
    iterators.push_back(llvm::is_contained(axes, i)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  Value init = createFilled(b, loc, reducedType,
                            createIdentity(b, loc, kind, elementType));
  Value result =
      buildGeneric(b, loc, ValueRange{input}, init,
                   {b.getMultiDimIdentityMap(rank), reducedMap(b, rank, axes)},
                   iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
                     return combine(nb, nl, kind, args[1], args[0]);
                   });
  if (kind == ReduceKind::Mean) {
    int64_t count = 1;
    for (int64_t axis : axes)
      count *= type.getDimSize(axis);
    int64_t reducedRank = reducedType.getRank();
    AffineMap identity = b.getMultiDimIdentityMap(reducedRank);
    result =
        buildGeneric(b, loc, ValueRange{result},
                     createEmpty(b, loc, reducedType), {identity, identity},
                     SmallVector<utils::IteratorType>(
                         reducedRank, utils::IteratorType::parallel),
                     [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
                       Value n = createScalar(nb, nl, elementType, count);
                       if (isa<FloatType>(elementType))
                         return arith::DivFOp::create(nb, nl, args[0], n);
                       return arith::DivSIOp::create(nb, nl, args[0], n);
                     });
  }
  return reshapeTo(b, loc, result, resultType);
}

/// Bit mask of the axes in `axes`.
uint64_t axisMask(ArrayRef<int64_t> axes) {
  uint64_t mask = 0;
  for (int64_t axis : axes)
    mask |= uint64_t(1) << axis;
  return mask;
}

/// The bit mask of the run-time `axes` tensor (normalized); an axis out of
/// range sets bit 63, which no reduction has. With `keepDims`, dimensions of
/// size 1 are cleared (reducing them changes nothing).
Value buildRuntimeAxisMask(OpBuilder &b, Location loc, Value axes,
                           RankedTensorType inputType, bool keepDims) {
  Type i64 = b.getI64Type();
  int64_t rank = inputType.getRank();
  auto constI64 = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, i64, v);
  };
  Value mask = constI64(0);
  int64_t count = cast<RankedTensorType>(axes.getType()).getDimSize(0);
  for (int64_t k = 0; k < count; ++k) {
    Value axis = normalizeAxisValue(b, loc, extractI64(b, loc, axes, k), rank);
    Value inRange = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, axis,
                              constI64(0)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis,
                              constI64(rank)));
    Value shift = arith::SelectOp::create(b, loc, inRange, axis, constI64(63));
    mask = arith::OrIOp::create(
        b, loc, mask, arith::ShLIOp::create(b, loc, constI64(1), shift));
  }
  if (keepDims) {
    uint64_t ones = 0;
    for (int64_t i = 0; i < rank; ++i)
      if (inputType.getDimSize(i) == 1)
        ones |= uint64_t(1) << i;
    mask = arith::AndIOp::create(b, loc, mask, constI64(~ones));
  }
  return mask;
}

/// Lowers a tg.reduce_* op.
template <typename TgOp, ReduceKind Kind>
struct ReduceLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;

  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    if (!isFloatOrSignlessInt(inputType.getElementType()))
      return rewriter.notifyMatchFailure(
          op, "expects floating-point or signless integer elements");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput();
    if (!adaptor.getRuntimeAxes()) {
      rewriter.replaceOp(op, buildReduction(rewriter, loc, input, op.getAxes(),
                                            resultType, Kind));
      return success();
    }

    // Run-time axes: one case per reduction giving the result shape, picked
    // by the bit mask of the axes.
    auto candidates = tg::reductionsGivingShape(
        inputType.getShape(), resultType.getShape(), op.getKeepdims());
    if (candidates.empty())
      return rewriter.notifyMatchFailure(op, "no reduction gives the result");
    Value mask = buildRuntimeAxisMask(rewriter, loc, adaptor.getRuntimeAxes(),
                                      inputType, op.getKeepdims());
    Value selector =
        arith::ConstantIntOp::create(rewriter, loc, rewriter.getI64Type(), -1);
    for (auto [i, axes] : llvm::enumerate(candidates)) {
      Value match = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, mask,
          arith::ConstantIntOp::create(rewriter, loc, rewriter.getI64Type(),
                                       axisMask(axes)));
      selector = arith::SelectOp::create(
          rewriter, loc, match,
          arith::ConstantIntOp::create(rewriter, loc, rewriter.getI64Type(), i),
          selector);
    }
    std::string message = runtimeMessage(
        op, op->getName().getStringRef(),
        "the run-time axes do not give the output shape that the model was "
        "compiled for (from its recorded output shape)");
    Value result = buildRuntimeSwitch(
        rewriter, loc, op, selector, candidates.size(), resultType, message,
        [&](OpBuilder &b, int64_t i) {
          return buildReduction(b, loc, input, candidates[i], resultType, Kind);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tg.arg_max, tg.arg_min, tg.hardmax
//===----------------------------------------------------------------------===//

/// The i64 index of the largest (`max`) or smallest element of `input`
/// along `axis`, in a tensor without that dimension. Ties keep the first
/// index, or the last with `last`.
Value buildArgReduce(OpBuilder &b, Location loc, Value input, int64_t axis,
                     bool max, bool last) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elementType = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape =
      tg::reducedShape(type.getShape(), {axis}, /*keepDims=*/false);
  auto valueType = RankedTensorType::get(shape, elementType);
  auto indexType = RankedTensorType::get(shape, b.getI64Type());
  Value valueInit = createFilled(b, loc, valueType,
                                 max ? createLowest(b, loc, elementType)
                                     : createHighest(b, loc, elementType));
  Value indexInit =
      createFilled(b, loc, indexType, createScalar(b, loc, b.getI64Type(), 0));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  AffineMap reduced = reducedMap(b, rank, {axis});
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valueType, indexType}, ValueRange{input},
      ValueRange{valueInit, indexInit},
      {b.getMultiDimIdentityMap(rank), reduced, reduced}, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = args[0], best = args[1], bestIndex = args[2];
        // Replace the best so far when strictly better (or not worse, to
        // keep the last index of a tie).
        Value better;
        if (isa<FloatType>(elementType)) {
          auto pred = max ? (last ? arith::CmpFPredicate::OGE
                                  : arith::CmpFPredicate::OGT)
                          : (last ? arith::CmpFPredicate::OLE
                                  : arith::CmpFPredicate::OLT);
          better = arith::CmpFOp::create(nb, nl, pred, x, best);
        } else {
          auto pred = max ? (last ? arith::CmpIPredicate::sge
                                  : arith::CmpIPredicate::sgt)
                          : (last ? arith::CmpIPredicate::sle
                                  : arith::CmpIPredicate::slt);
          better = arith::CmpIOp::create(nb, nl, pred, x, best);
        }
        // The first element always replaces the initial value (which an
        // element equal to it would not beat without this).
        Value index = indexI64(nb, nl, axis);
        Value first = arith::CmpIOp::create(
            nb, nl, arith::CmpIPredicate::eq, index,
            arith::ConstantIntOp::create(nb, nl, nb.getI64Type(), 0));
        better = arith::OrIOp::create(nb, nl, better, first);
        linalg::YieldOp::create(
            nb, nl,
            ValueRange{
                arith::SelectOp::create(nb, nl, better, x, best),
                arith::SelectOp::create(nb, nl, better, index, bestIndex)});
      });
  return generic.getResult(1);
}

template <typename TgOp, bool Max>
struct ArgReduceLowering : OpConversionPattern<TgOp> {
  using OpConversionPattern<TgOp>::OpConversionPattern;
  using OpAdaptor = typename TgOp::Adaptor;

  LogicalResult
  matchAndRewrite(TgOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    if (!isFloatOrSignlessInt(op.getInput().getType().getElementType()))
      return rewriter.notifyMatchFailure(
          op, "expects floating-point or signless integer elements");
    Value index = buildArgReduce(rewriter, op.getLoc(), adaptor.getInput(),
                                 op.getAxis(), Max, op.getSelectLastIndex());
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), index,
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// Lowers tg.hardmax: 1 where the index along the axis is the index of the
/// first maximum, else 0.
struct HardmaxLowering : OpConversionPattern<tg::HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::HardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank(), axis = op.getAxis();
    Value argMax = buildArgReduce(rewriter, loc, adaptor.getInput(), axis,
                                  /*max=*/true, /*last=*/false);
    Type elementType = type.getElementType();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value result = buildGeneric(
        rewriter, loc, ValueRange{argMax}, createEmpty(rewriter, loc, type),
        {reducedMap(rewriter, rank, {axis}), identity},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            indexI64(b, l, axis), args[0]);
          return arith::SelectOp::create(b, l, hit,
                                         createScalar(b, l, elementType, 1),
                                         createScalar(b, l, elementType, 0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tg.top_k
//===----------------------------------------------------------------------===//

/// Maps of a generic over the dimensions of a tensor plus one extra loop
/// (dimension `rank`): the tensor indexed with dimension `axis` replaced by
/// the extra loop.
AffineMap mapWithAxisAsExtraLoop(OpBuilder &b, int64_t rank, int64_t axis) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    exprs.push_back(b.getAffineDimExpr(i == axis ? rank : i));
  return AffineMap::get(rank + 1, 0, exprs, b.getContext());
}

/// The map of a tensor indexed by the first `rank` of `rank + 1` loops.
AffineMap mapWithoutExtraLoop(OpBuilder &b, int64_t rank) {
  return AffineMap::getMultiDimIdentityMap(rank + 1, b.getContext())
      .getMajorSubMap(rank);
}

/// Whether element (x, i) comes before element (y, j) in the output order
/// of top_k: larger (or smaller) values first, then lower indices.
Value comesBefore(OpBuilder &b, Location loc, Value x, Value i, Value y,
                  Value j, bool largest) {
  Value strictly, equal;
  if (isa<FloatType>(x.getType())) {
    strictly = arith::CmpFOp::create(
        b, loc, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
        x, y);
    equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
  } else {
    strictly = arith::CmpIOp::create(
        b, loc, largest ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt,
        x, y);
    equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
  }
  Value lowerIndex =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, j);
  return arith::OrIOp::create(b, loc, strictly,
                              arith::AndIOp::create(b, loc, equal, lowerIndex));
}

struct TopKLowering : OpConversionPattern<tg::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    RankedTensorType inputType = op.getInput().getType();
    Type elementType = inputType.getElementType();
    if (!isFloatOrSignlessInt(elementType))
      return rewriter.notifyMatchFailure(
          op, "expects floating-point or signless integer elements");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank(), axis = op.getAxis();
    bool largest = op.getLargest();
    Type i64 = rewriter.getI64Type();
    Value input = adaptor.getInput();

    if (Value k = adaptor.getRuntimeK()) {
      Value ok = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq,
          extractI64(rewriter, loc, k, 0),
          arith::ConstantIntOp::create(rewriter, loc, i64, op.getK()));
      emitRuntimeCheck(
          rewriter, loc, op, ok,
          runtimeMessage(op, "TopK",
                         "the run-time k differs from " +
                             std::to_string(op.getK()) +
                             ", the k that the model was compiled for (from "
                             "its recorded output shape)"));
    }

    // rank[.., i, ..] = number of elements j of the row that come before
    // element i.
    SmallVector<utils::IteratorType> iterators(rank + 1,
                                               utils::IteratorType::parallel);
    iterators[rank] = utils::IteratorType::reduction;
    AffineMap own = mapWithoutExtraLoop(rewriter, rank);
    AffineMap other = mapWithAxisAsExtraLoop(rewriter, rank, axis);
    auto rankType = inputType.clone(i64);
    Value ranks = buildGeneric(
        rewriter, loc, ValueRange{input, input},
        createFilled(rewriter, loc, rankType,
                     createScalar(rewriter, loc, i64, 0)),
        {own, other, own}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value before = comesBefore(b, l, args[1], indexI64(b, l, rank),
                                     args[0], indexI64(b, l, axis), largest);
          return arith::AddIOp::create(
              b, l, args[2], arith::ExtUIOp::create(b, l, i64, before));
        });

    // values/indices[.., p, ..] = the element of rank p (each rank occurs
    // once in a row).
    auto valuesType = cast<RankedTensorType>(op.getValues().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    auto gather = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType},
        ValueRange{input, ranks},
        ValueRange{createFilled(rewriter, loc, valuesType,
                                createScalar(rewriter, loc, elementType, 0)),
                   createFilled(rewriter, loc, indicesType,
                                createScalar(rewriter, loc, i64, 0))},
        {other, other, own, own}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            args[1], indexI64(b, l, axis));
          Value value = arith::SelectOp::create(b, l, hit, args[0], args[2]);
          Value index =
              arith::SelectOp::create(b, l, hit, indexI64(b, l, rank), args[3]);
          linalg::YieldOp::create(b, l, ValueRange{value, index});
        });
    rewriter.replaceOp(op, gather.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tg.cumsum
//===----------------------------------------------------------------------===//

/// The cumulative sum of the static `input` along `axis`: a generic whose
/// extra loop runs over the summed positions.
Value buildCumSum(OpBuilder &b, Location loc, Value input, int64_t axis,
                  bool exclusive, bool reverse) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elementType = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<utils::IteratorType> iterators(rank + 1,
                                             utils::IteratorType::parallel);
  iterators[rank] = utils::IteratorType::reduction;
  // Position j is summed into position i when j <= i (j < i exclusive), or
  // the other way round when reversed.
  arith::CmpIPredicate pred =
      reverse
          ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
          : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
  return buildGeneric(
      b, loc, ValueRange{input},
      createFilled(b, loc, type, createScalar(b, loc, elementType, 0)),
      {mapWithAxisAsExtraLoop(b, rank, axis), mapWithoutExtraLoop(b, rank)},
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value summed = arith::CmpIOp::create(
            nb, nl, pred, indexI64(nb, nl, rank), indexI64(nb, nl, axis));
        Value sum = createAdd(nb, nl, args[1], args[0]);
        return arith::SelectOp::create(nb, nl, summed, sum, args[1]);
      });
}

struct CumSumLowering : OpConversionPattern<tg::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tg::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    if (!isFloatOrSignlessInt(type.getElementType()))
      return rewriter.notifyMatchFailure(
          op, "expects floating-point or signless integer elements");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    if (std::optional<int64_t> axis = op.getAxis()) {
      rewriter.replaceOp(
          op, buildCumSum(rewriter, loc, input, *axis, exclusive, reverse));
      return success();
    }
    Value axis = normalizeAxisValue(
        rewriter, loc, extractI64(rewriter, loc, adaptor.getRuntimeAxis(), 0),
        type.getRank());
    std::string message =
        runtimeMessage(op, "CumSum", "the run-time axis is out of range");
    Value result = buildRuntimeSwitch(
        rewriter, loc, op, axis, type.getRank(), type, message,
        [&](OpBuilder &b, int64_t i) {
          return buildCumSum(b, loc, input, i, exclusive, reverse);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tessera::graph_to_linalg::populateReductionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<tg::ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<tg::ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<tg::ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<tg::ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<tg::ReduceProdOp, ReduceKind::Prod>,
               ArgReduceLowering<tg::ArgMaxOp, true>,
               ArgReduceLowering<tg::ArgMinOp, false>, HardmaxLowering,
               TopKLowering, CumSumLowering>(patterns.getContext());
}
