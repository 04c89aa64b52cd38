//===- ReductionOps.cpp - Graph dialect: reduction ops --------------------===//
//
// Result-type inference and verifiers of the ops in ReductionOps.td. The ops
// take normalized (non-negative) axes: the importer resolves ONNX's negative
// axes, so the verifiers reject them rather than reinterpret them.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ReductionUtils.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace tessera::graph;

namespace {

/// Integer (not i1) or floating-point elements: what arithmetic reductions
/// and comparisons accept.
bool isNumeric(Type type) {
  return type.isIntOrFloat() && !type.isSignlessInteger(1);
}

/// Checks that `axes` are sorted, distinct and in [0, rank).
LogicalResult verifyAxes(std::optional<Location> loc, ArrayRef<int64_t> axes,
                         int64_t rank) {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank)
      return emitOptionalError(loc, "axis ", axes[i], " is out of range [0, ",
                               rank, ")");
    if (i > 0 && axes[i] <= axes[i - 1])
      return emitOptionalError(loc, "axes must be sorted and distinct, got ",
                               axes[i - 1], " before ", axes[i]);
  }
  return success();
}

/// Checks the axis of an op along one axis.
LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError("axis ")
           << axis << " is out of range [0, " << rank << ")";
  return success();
}

/// Checks a run-time scalar operand: an integer tensor of one element.
LogicalResult verifyRuntimeScalar(Operation *op, Value value, StringRef name) {
  if (!value)
    return success();
  auto type = cast<RankedTensorType>(value.getType());
  if (!isa<IntegerType>(type.getElementType()) || type.getRank() > 1 ||
      (type.hasStaticShape() && type.getNumElements() != 1))
    return op->emitOpError("'")
           << name << "' must be an integer tensor of one element, got "
           << type;
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Shape rules (ReductionUtils.h)
//===----------------------------------------------------------------------===//

SmallVector<int64_t> tessera::graph::reducedShape(ArrayRef<int64_t> shape,
                                                  ArrayRef<int64_t> axes,
                                                  bool keepDims) {
  SmallVector<int64_t> result;
  for (int64_t i = 0, rank = shape.size(); i < rank; ++i) {
    if (!llvm::is_contained(axes, i))
      result.push_back(shape[i]);
    else if (keepDims)
      result.push_back(1);
  }
  return result;
}

SmallVector<SmallVector<int64_t>> tessera::graph::reductionsGivingShape(
    ArrayRef<int64_t> inShape, ArrayRef<int64_t> outShape, bool keepDims) {
  SmallVector<SmallVector<int64_t>> sets;
  int64_t rank = inShape.size();
  if (rank > 16)
    return sets;
  for (uint64_t mask = 0; mask < (uint64_t(1) << rank); ++mask) {
    SmallVector<int64_t> axes;
    for (int64_t i = 0; i < rank; ++i)
      if (mask & (uint64_t(1) << i))
        axes.push_back(i);
    if (keepDims &&
        llvm::any_of(axes, [&](int64_t a) { return inShape[a] == 1; }))
      continue;
    if (llvm::equal(reducedShape(inShape, axes, keepDims), outShape))
      sets.push_back(std::move(axes));
  }
  return sets;
}

//===----------------------------------------------------------------------===//
// Reductions over a set of axes
//===----------------------------------------------------------------------===//

#define TG_DEFINE_REDUCE(OP)                                                   \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return areCompatibleResultTypes(l, r);                                                \
  }                                                                            \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());          \
    if (failed(verifyAxes(loc, adaptor.getAxes(), type.getRank())))            \
      return failure();                                                        \
    inferred.push_back(                                                        \
        RankedTensorType::get(reducedShape(type.getShape(), adaptor.getAxes(), \
                                           adaptor.getKeepdims()),             \
                              type.getElementType()));                         \
    return success();                                                          \
  }                                                                            \
  LogicalResult OP::verify() {                                                 \
    if (!isNumeric(getInput().getType().getElementType()))                     \
      return emitOpError("expects integer or floating-point elements");        \
    if (Value axes = getRuntimeAxes()) {                                       \
      auto type = cast<RankedTensorType>(axes.getType());                      \
      if (type.getRank() != 1 || !isa<IntegerType>(type.getElementType()))     \
        return emitOpError("'runtime_axes' must be a 1-D integer tensor");     \
    }                                                                          \
    return success();                                                          \
  }
TG_DEFINE_REDUCE(ReduceSumOp)
TG_DEFINE_REDUCE(ReduceMeanOp)
TG_DEFINE_REDUCE(ReduceMaxOp)
TG_DEFINE_REDUCE(ReduceMinOp)
TG_DEFINE_REDUCE(ReduceProdOp)
#undef TG_DEFINE_REDUCE

//===----------------------------------------------------------------------===//
// Arg-reductions
//===----------------------------------------------------------------------===//

#define TG_DEFINE_ARG_REDUCE(OP)                                               \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return areCompatibleResultTypes(l, r);                                                \
  }                                                                            \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,          \
      SmallVectorImpl<Type> &inferred) {                                       \
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());          \
    int64_t axis = adaptor.getAxis();                                          \
    if (axis < 0 || axis >= type.getRank())                                    \
      return emitOptionalError(loc, "axis ", axis, " is out of range [0, ",    \
                               type.getRank(), ")");                           \
    inferred.push_back(RankedTensorType::get(                                  \
        reducedShape(type.getShape(), {axis}, adaptor.getKeepdims()),          \
        IntegerType::get(ctx, 64)));                                           \
    return success();                                                          \
  }                                                                            \
  LogicalResult OP::verify() {                                                 \
    if (!isNumeric(getInput().getType().getElementType()))                     \
      return emitOpError("expects integer or floating-point elements");        \
    return success();                                                          \
  }
TG_DEFINE_ARG_REDUCE(ArgMaxOp)
TG_DEFINE_ARG_REDUCE(ArgMinOp)
#undef TG_DEFINE_ARG_REDUCE

LogicalResult HardmaxOp::verify() {
  RankedTensorType type = getType();
  if (failed(verifyAxis(*this, getAxis(), type.getRank())))
    return failure();
  if (!isa<FloatType>(type.getElementType()))
    return emitOpError("expects floating-point elements");
  return success();
}

bool TopKOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return areCompatibleResultTypes(l, r);
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis(), k = adaptor.getK();
  if (axis < 0 || axis >= type.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range [0, ",
                             type.getRank(), ")");
  int64_t size = type.getDimSize(axis);
  if (k < 0 || (!ShapedType::isDynamic(size) && k > size))
    return emitOptionalError(loc, "k = ", k, " is out of range [0, ", size,
                             "] of axis ", axis);
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = k;
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  inferred.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult TopKOp::verify() {
  if (!isNumeric(getInput().getType().getElementType()))
    return emitOpError("expects integer or floating-point elements");
  return verifyRuntimeScalar(*this, getRuntimeK(), "runtime_k");
}

//===----------------------------------------------------------------------===//
// Scans
//===----------------------------------------------------------------------===//

LogicalResult CumSumOp::verify() {
  RankedTensorType type = getType();
  if (!isNumeric(type.getElementType()))
    return emitOpError("expects integer or floating-point elements");
  if (getAxis().has_value() == static_cast<bool>(getRuntimeAxis()))
    return emitOpError("needs exactly one of the 'axis' attribute and the "
                       "'runtime_axis' operand");
  if (getAxis())
    return verifyAxis(*this, *getAxis(), type.getRank());
  return verifyRuntimeScalar(*this, getRuntimeAxis(), "runtime_axis");
}
