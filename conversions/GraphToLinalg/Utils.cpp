//===- Utils.cpp - Helpers shared by the Graph to linalg patterns ---------===//
//
// Builders used by every op family of the Graph lowering: static-shape
// checks, initialized destination tensors, padding, reshapes and
// broadcasting linalg.generic ops.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace tessera::graph_to_linalg {

static bool isStaticTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape();
}

bool hasDynamicShapes(Operation *op) {
  return !llvm::all_of(op->getOperandTypes(), isStaticTensor) ||
         !llvm::all_of(op->getResultTypes(), isStaticTensor);
}

LogicalResult requireStaticShapes(Operation *op, PatternRewriter &rewriter) {
  if (!hasDynamicShapes(op))
    return success();
  op->emitError(kDynamicShapeMessage);
  return rewriter.notifyMatchFailure(op, "dynamic shapes");
}

bool isFloatOrSignlessInt(Type type) {
  return isa<FloatType>(type) || type.isSignlessInteger();
}

Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value scalar) {
  Value empty = createEmpty(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

Value createScalar(OpBuilder &b, Location loc, Type elementType, double value) {
  if (isa<FloatType>(elementType))
    return arith::ConstantOp::create(b, loc,
                                     b.getFloatAttr(elementType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(elementType, static_cast<int64_t>(value)));
}

Value createLowest(OpBuilder &b, Location loc, Type elementType) {
  if (auto floatType = dyn_cast<FloatType>(elementType))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(elementType,
                       APFloat::getInf(floatType.getFloatSemantics(),
                                       /*Negative=*/true)));
  unsigned width = elementType.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(elementType, APInt::getSignedMinValue(width)));
}

Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> lowOfr, highOfr;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    dim += low[i] + high[i];
    lowOfr.push_back(b.getIndexAttr(low[i]));
    highOfr.push_back(b.getIndexAttr(high[i]));
  }
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, paddedType, input, lowOfr, highOfr,
                               padValue);
}

Value reshapeTo(OpBuilder &b, Location loc, Value value,
                RankedTensorType type) {
  auto source = cast<RankedTensorType>(value.getType());
  if (source == type)
    return value;
  ArrayRef<int64_t> from = source.getShape(), to = type.getShape();
  // A rank-0 tensor has one element: it expands to (or collapses from) a
  // shape of ones with an empty reassociation.
  if (from.empty())
    return tensor::ExpandShapeOp::create(b, loc, type, value,
                                         ArrayRef<ReassociationIndices>{});
  if (to.empty())
    return tensor::CollapseShapeOp::create(b, loc, type, value,
                                           ArrayRef<ReassociationIndices>{});
  if (to.size() < from.size())
    if (auto reassociation = getReassociationIndicesForCollapse(from, to))
      return tensor::CollapseShapeOp::create(b, loc, type, value,
                                             *reassociation);
  if (to.size() > from.size())
    if (auto reassociation = getReassociationIndicesForCollapse(to, from))
      return tensor::ExpandShapeOp::create(b, loc, type, value, *reassociation);
  // General case: through a 1-D tensor.
  auto flatType =
      RankedTensorType::get({source.getNumElements()}, type.getElementType());
  Value flat = value;
  if (from.size() != 1) {
    ReassociationIndices all(from.size());
    std::iota(all.begin(), all.end(), 0);
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (to.size() == 1)
    return flat;
  ReassociationIndices all(to.size());
  std::iota(all.begin(), all.end(), 0);
  return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

std::pair<Value, AffineMap> broadcastToLoops(OpBuilder &b, Location loc,
                                             Value operand,
                                             ArrayRef<unsigned> loopOfDim,
                                             ArrayRef<int64_t> loopSizes) {
  auto type = cast<RankedTensorType>(operand.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> exprs;
  SmallVector<ReassociationIndices> reassociation;
  SmallVector<int64_t> keptShape;
  ReassociationIndices leadingDropped;
  for (int64_t i = 0, e = type.getRank(); i < e; ++i) {
    int64_t size = type.getDimSize(i);
    bool broadcast = size == 1 && loopSizes[loopOfDim[i]] != 1;
    if (broadcast) {
      // Fold a dropped unit dimension into its neighbouring kept group.
      if (reassociation.empty())
        leadingDropped.push_back(i);
      else
        reassociation.back().push_back(i);
      continue;
    }
    ReassociationIndices group = leadingDropped;
    leadingDropped.clear();
    group.push_back(i);
    reassociation.push_back(group);
    exprs.push_back(getAffineDimExpr(loopOfDim[i], ctx));
    keptShape.push_back(size);
  }
  if ((int64_t)keptShape.size() != type.getRank()) {
    if (keptShape.empty())
      reassociation.clear();
    operand = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get(keptShape, type.getElementType()),
        operand, reassociation);
  }
  return {operand, AffineMap::get(loopSizes.size(), 0, exprs, ctx)};
}

Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                   ArrayRef<AffineMap> maps,
                   ArrayRef<utils::IteratorType> iterators,
                   ScalarBuilder body) {
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value buildBroadcastElementwise(OpBuilder &b, Location loc,
                                RankedTensorType resultType, ValueRange inputs,
                                ScalarBuilder body, Value init) {
  int64_t rank = resultType.getRank();
  ArrayRef<int64_t> loopSizes = resultType.getShape();
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    int64_t inputRank = cast<RankedTensorType>(input.getType()).getRank();
    SmallVector<unsigned> loopOfDim;
    for (int64_t i = 0; i < inputRank; ++i)
      loopOfDim.push_back(rank - inputRank + i);
    auto [operand, map] = broadcastToLoops(b, loc, input, loopOfDim, loopSizes);
    operands.push_back(operand);
    maps.push_back(map);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  if (!init)
    init = createEmpty(b, loc, resultType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return buildGeneric(b, loc, operands, init, maps, iterators, body);
}

Type toSignless(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType || intType.isSignless())
    return type;
  return IntegerType::get(type.getContext(), intType.getWidth());
}

/// `value` as `type` by a scalar unrealized cast (a no-op in LLVM).
static Value castScalar(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return UnrealizedConversionCastOp::create(b, loc, type, value).getResult(0);
}

Value buildSignlessElementwise(OpBuilder &b, Location loc,
                               RankedTensorType resultType, ValueRange inputs,
                               ScalarBuilder body) {
  return buildBroadcastElementwise(
      b, loc, resultType, inputs,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> signless;
        for (Value arg : args.take_front(inputs.size()))
          signless.push_back(
              castScalar(nested, nestedLoc, arg, toSignless(arg.getType())));
        Value result = body(nested, nestedLoc, signless);
        return castScalar(nested, nestedLoc, result,
                          resultType.getElementType());
      });
}

Value clampIndex(OpBuilder &b, Location loc, Value index, int64_t size) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value last =
      arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(size - 1, 0));
  return arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, index, zero), last);
}

/// Converts an element read from an integer indices tensor to `index`. With
/// `wrapNegative`, a negative index counts from `size`; the result is then
/// clamped into [0, size) so that reads and writes stay in bounds.
Value toClampedIndex(OpBuilder &b, Location loc, Value raw, int64_t size,
                     bool wrapNegative) {
  Type type = raw.getType();
  bool isUnsigned = type.isUnsignedInteger();
  Type signless = toSignless(type);
  if (signless != type)
    raw =
        UnrealizedConversionCastOp::create(b, loc, signless, raw).getResult(0);
  Value idx =
      isUnsigned
          ? (Value)arith::IndexCastUIOp::create(b, loc, b.getIndexType(), raw)
          : (Value)arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  if (wrapNegative && !isUnsigned) {
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
    Value wrapped = arith::AddIOp::create(
        b, loc, idx, arith::ConstantIndexOp::create(b, loc, size));
    idx = arith::SelectOp::create(b, loc, negative, wrapped, idx);
  }
  return clampIndex(b, loc, idx, size);
}

Value createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

Value createMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

Value createMax(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

} // namespace tessera::graph_to_linalg
