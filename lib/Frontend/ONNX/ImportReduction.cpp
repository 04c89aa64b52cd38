//===- ImportReduction.cpp - ONNX reduction ops ---------------------------===//
//
// Importers of the ONNX ops lowered to the ops of ReductionOps.td:
//  - ReduceSum/Mean/Max/Min/Prod map to the primitive tg.reduce_* ops;
//    ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum and ReduceLogSumExp
//    are composed from those and elementwise ops (LogSumExp subtracts the
//    maximum first, so large inputs do not overflow).
//    `axes` is an attribute before opset 18 (13 for ReduceSum) and an
//    optional input since; ONNX's negative axes, "all axes" for empty or
//    absent axes and `noop_with_empty_axes` are resolved here.
//  - ArgMax/ArgMin, Hardmax, TopK and CumSum.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/ReshapeUtils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ReductionUtils.h"
#include "dialects/Graph/IR/ShapeUtils.h"

using namespace mlir;

namespace tessera::onnx {

namespace {

/// What an ONNX reduction computes around its primitive tg reduction.
enum class ReduceKind {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  L1,
  L2,
  SumSquare,
  LogSum,
  LogSumExp
};

/// The axes of a reduction node, resolved to a sorted set of non-negative
/// axes. `runtimeAxes` is set when they are a tensor computed at run time;
/// `axes` then holds a reduction that gives the recorded output shape.
struct ReduceAxes {
  llvm::SmallVector<int64_t> axes;
  Value runtimeAxes;
  /// Empty axes with noop_with_empty_axes: the output is the input.
  bool noop = false;
};

/// Whether the reduction's `axes` is an input at this opset.
bool axesIsInput(NodeContext &node) {
  return node.getOpset() >= 18 ||
         (node.getNode().op_type() == "ReduceSum" && node.getOpset() >= 13);
}

/// Derives the axes of a reduction whose axes input is computed at run time
/// from the model's recorded output shape.
FailureOr<llvm::SmallVector<int64_t>>
axesFromDeclaredOutput(NodeContext &node, RankedTensorType inputType,
                       bool keepDims) {
  RankedTensorType outType = node.getDeclaredOutputType(0);
  if (!outType || !inputType.hasStaticShape()) {
    node.emitError() << "the axes input '" << node.getNode().input(1)
                     << "' is computed at run time and the output shape is "
                        "not recorded in the model; make the axes a constant "
                        "(an initializer or Constant node)";
    return failure();
  }
  auto sets = graph::reductionsGivingShape(inputType.getShape(),
                                           outType.getShape(), keepDims);
  if (sets.empty()) {
    node.emitError() << "the recorded output type " << outType
                     << " is not a reduction of " << inputType
                     << " with keepdims = " << keepDims;
    return failure();
  }
  return sets.front();
}

/// Reads and normalizes the axes of a reduction node.
FailureOr<ReduceAxes> getReduceAxes(NodeContext &node,
                                    RankedTensorType inputType, bool keepDims) {
  ReduceAxes result;
  int64_t rank = inputType.getRank();
  std::optional<llvm::SmallVector<int64_t>> axes;
  if (!axesIsInput(node)) {
    axes = node.getInts("axes");
  } else if (node.hasInput(1)) {
    axes = node.getConstantInts(1);
    RankedTensorType axesType = node.getInputType(1);
    if (!axes && axesType.hasStaticShape() && axesType.getNumElements() == 0)
      axes = llvm::SmallVector<int64_t>();
    if (!axes) {
      if (axesType.getRank() != 1 || !axesType.hasStaticShape()) {
        node.emitError() << "the axes input '" << node.getNode().input(1)
                         << "' is computed at run time with type " << axesType
                         << "; it must be a constant or a 1-D tensor of "
                            "static length";
        return failure();
      }
      FailureOr<llvm::SmallVector<int64_t>> derived =
          axesFromDeclaredOutput(node, inputType, keepDims);
      if (failed(derived))
        return failure();
      result.axes = *derived;
      result.runtimeAxes = node.getInput(1);
      return result;
    }
  }
  if (!axes || axes->empty()) {
    if (axesIsInput(node) && node.getInt("noop_with_empty_axes", 0) != 0) {
      result.noop = true;
      return result;
    }
    for (int64_t i = 0; i < rank; ++i)
      result.axes.push_back(i);
    return result;
  }
  for (int64_t axis : *axes) {
    std::optional<int64_t> normalized = graph::normalizeAxis(axis, rank);
    if (!normalized || llvm::is_contained(result.axes, *normalized)) {
      node.emitError() << "axis " << axis
                       << " is out of range or repeated for input of rank "
                       << rank;
      return failure();
    }
    result.axes.push_back(*normalized);
  }
  llvm::sort(result.axes);
  return result;
}

/// Creates the primitive reduction `OpTy` of `input`.
template <typename OpTy>
FailureOr<Value> createReduce(NodeContext &node, Value input,
                              const ReduceAxes &axes, bool keepDims) {
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<Value, 2> operands = {input};
  if (axes.runtimeAxes)
    operands.push_back(axes.runtimeAxes);
  return node.create<OpTy>(
      operands, {b.getNamedAttr("axes", b.getDenseI64ArrayAttr(axes.axes)),
                 b.getNamedAttr("keepdims", b.getBoolAttr(keepDims))});
}

/// `x * x`.
FailureOr<Value> createSquare(NodeContext &node, Value x) {
  return node.create<graph::MulOp>({x, x});
}

/// log(sum(exp(x - max))) + max, with the max kept as size-1 dimensions so
/// that it broadcasts; reshaped to the result shape at the end.
FailureOr<Value> createLogSumExp(NodeContext &node, Value input,
                                 const ReduceAxes &axes, bool keepDims) {
  FailureOr<Value> max =
      createReduce<graph::ReduceMaxOp>(node, input, axes, /*keepDims=*/true);
  if (failed(max))
    return failure();
  FailureOr<Value> shifted = node.create<graph::SubOp>({input, *max});
  if (failed(shifted))
    return failure();
  FailureOr<Value> exp = node.create<graph::ExpOp>(*shifted);
  if (failed(exp))
    return failure();
  FailureOr<Value> sum =
      createReduce<graph::ReduceSumOp>(node, *exp, axes, /*keepDims=*/true);
  if (failed(sum))
    return failure();
  FailureOr<Value> log = node.create<graph::LogOp>(*sum);
  if (failed(log))
    return failure();
  FailureOr<Value> result = node.create<graph::AddOp>({*log, *max});
  if (failed(result) || keepDims)
    return result;
  auto type = cast<RankedTensorType>(input.getType());
  return createReshapeTo(node, *result,
                         graph::reducedShape(type.getShape(), axes.axes,
                                             /*keepDims=*/false));
}

template <ReduceKind Kind> LogicalResult importReduce(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  Value input = node.getInput(0);
  RankedTensorType type = node.getInputType(0);
  if (type.getElementType().isUnsignedInteger()) {
    node.emitError() << "reductions of unsigned integer elements ("
                     << type.getElementType() << ") are not supported";
    return failure();
  }
  bool keepDims = node.getInt("keepdims", 1) != 0;
  FailureOr<ReduceAxes> axes = getReduceAxes(node, type, keepDims);
  if (failed(axes))
    return failure();
  if (axes->noop) {
    node.setOutput(0, input);
    return success();
  }

  FailureOr<Value> result;
  switch (Kind) {
  case ReduceKind::Sum:
    result = createReduce<graph::ReduceSumOp>(node, input, *axes, keepDims);
    break;
  case ReduceKind::Mean:
    result = createReduce<graph::ReduceMeanOp>(node, input, *axes, keepDims);
    break;
  case ReduceKind::Max:
    result = createReduce<graph::ReduceMaxOp>(node, input, *axes, keepDims);
    break;
  case ReduceKind::Min:
    result = createReduce<graph::ReduceMinOp>(node, input, *axes, keepDims);
    break;
  case ReduceKind::Prod:
    result = createReduce<graph::ReduceProdOp>(node, input, *axes, keepDims);
    break;
  case ReduceKind::L1: {
    FailureOr<Value> abs = node.create<graph::AbsOp>(input);
    if (succeeded(abs))
      result = createReduce<graph::ReduceSumOp>(node, *abs, *axes, keepDims);
    break;
  }
  case ReduceKind::L2:
  case ReduceKind::SumSquare: {
    FailureOr<Value> square = createSquare(node, input);
    if (succeeded(square))
      result = createReduce<graph::ReduceSumOp>(node, *square, *axes, keepDims);
    if (Kind == ReduceKind::L2 && succeeded(result))
      result = node.create<graph::SqrtOp>(*result);
    break;
  }
  case ReduceKind::LogSum:
    result = createReduce<graph::ReduceSumOp>(node, input, *axes, keepDims);
    if (succeeded(result))
      result = node.create<graph::LogOp>(*result);
    break;
  case ReduceKind::LogSumExp:
    if (axes->runtimeAxes) {
      node.emitError() << "ReduceLogSumExp needs constant axes";
      return failure();
    }
    result = createLogSumExp(node, input, *axes, keepDims);
    break;
  }
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin, Hardmax
//===----------------------------------------------------------------------===//

template <typename OpTy> LogicalResult importArgReduce(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  int64_t axisAttr = node.getInt("axis", 0);
  std::optional<int64_t> axis = graph::normalizeAxis(axisAttr, type.getRank());
  if (!axis) {
    node.emitError() << "axis " << axisAttr << " is out of range for " << type;
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<OpTy>(
      node.getInput(0),
      {b.getNamedAttr("axis", b.getI64IntegerAttr(*axis)),
       b.getNamedAttr("keepdims", b.getBoolAttr(node.getInt("keepdims", 1))),
       b.getNamedAttr("select_last_index",
                      b.getBoolAttr(node.getInt("select_last_index", 0)))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// Hardmax: along `axis` since opset 13 (default -1); before, over the
/// input coerced to 2-D at `axis` (default 1), which is tg.flatten ->
/// tg.hardmax (axis 1) -> tg.reshape back.
LogicalResult importHardmax(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  Value input = node.getInput(0);
  RankedTensorType type = node.getInputType(0);
  bool coerce = node.getOpset() < 13;
  int64_t axisAttr = node.getInt("axis", coerce ? 1 : -1);
  std::optional<int64_t> axis = graph::normalizeAxis(axisAttr, type.getRank());
  if (!axis) {
    node.emitError() << "axis " << axisAttr << " is out of range for " << type;
    return failure();
  }
  auto axisNamed = [&](int64_t a) {
    return b.getNamedAttr("axis", b.getI64IntegerAttr(a));
  };
  if (!coerce || *axis == type.getRank() - 1) {
    FailureOr<Value> result =
        node.create<graph::HardmaxOp>(input, {axisNamed(*axis)});
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }
  FailureOr<Value> flat =
      node.create<graph::FlattenOp>(input, {axisNamed(*axis)});
  if (failed(flat))
    return failure();
  FailureOr<Value> hardmax =
      node.create<graph::HardmaxOp>(*flat, {axisNamed(1)});
  if (failed(hardmax))
    return failure();
  FailureOr<Value> result = createReshapeTo(node, *hardmax, type.getShape());
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

/// TopK: `k` is an attribute before opset 10 and an input since. A k
/// computed at run time is taken from the recorded output shape and checked
/// at run time.
LogicalResult importTopK(NodeContext &node) {
  if (failed(node.requireInputs(node.getOpset() < 10 ? 1 : 2)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  int64_t axisAttr = node.getInt("axis", -1);
  std::optional<int64_t> axis = graph::normalizeAxis(axisAttr, type.getRank());
  if (!axis) {
    node.emitError() << "axis " << axisAttr << " is out of range for " << type;
    return failure();
  }
  llvm::SmallVector<Value, 2> operands = {node.getInput(0)};
  int64_t k;
  if (node.getOpset() < 10) {
    k = node.getInt("k", -1);
  } else if (auto values = node.getConstantInts(1)) {
    if (values->size() != 1) {
      node.emitError() << "the k input must hold one value, got "
                       << values->size();
      return failure();
    }
    k = values->front();
  } else {
    RankedTensorType outType = node.getDeclaredOutputType(0);
    if (!outType || outType.getRank() != type.getRank()) {
      node.emitError() << "the k input '" << node.getNode().input(1)
                       << "' is computed at run time and the output shape is "
                          "not recorded in the model; make k a constant";
      return failure();
    }
    k = outType.getDimSize(*axis);
    operands.push_back(node.getInput(1));
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> values = node.create<graph::TopKOp>(
      operands,
      {b.getNamedAttr("k", b.getI64IntegerAttr(k)),
       b.getNamedAttr("axis", b.getI64IntegerAttr(*axis)),
       b.getNamedAttr("largest", b.getBoolAttr(node.getInt("largest", 1))),
       b.getNamedAttr("sorted", b.getBoolAttr(node.getInt("sorted", 1)))});
  if (failed(values))
    return failure();
  node.setOutput(0, *values);
  node.setOutput(1, values->getDefiningOp()->getResult(1));
  return success();
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

/// CumSum: the axis is an input; a constant one (or the only axis of a 1-D
/// input) becomes the `axis` attribute, others stay an operand and the
/// lowering picks the axis at run time.
LogicalResult importCumSum(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("exclusive", b.getBoolAttr(node.getInt("exclusive", 0))),
      b.getNamedAttr("reverse", b.getBoolAttr(node.getInt("reverse", 0)))};
  llvm::SmallVector<Value, 2> operands = {node.getInput(0)};
  std::optional<llvm::SmallVector<int64_t>> axisValues =
      node.getConstantInts(1);
  if (axisValues && axisValues->size() != 1) {
    node.emitError() << "the axis input must hold one value, got "
                     << axisValues->size();
    return failure();
  }
  if (axisValues || type.getRank() == 1) {
    int64_t axisValue = axisValues ? axisValues->front() : 0;
    std::optional<int64_t> axis =
        graph::normalizeAxis(axisValue, type.getRank());
    if (!axis) {
      node.emitError() << "axis " << axisValue << " is out of range for "
                       << type;
      return failure();
    }
    // A run-time axis of a 1-D input can only be 0 or -1; an invalid one is
    // undefined behaviour in ONNX, so it is not checked.
    attrs.push_back(b.getNamedAttr("axis", b.getI64IntegerAttr(*axis)));
  } else {
    operands.push_back(node.getInput(1));
  }
  FailureOr<Value> result = node.create<graph::CumSumOp>(operands, attrs, type);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

} // namespace

void registerReductionImporters(OpImporterRegistry &registry) {
  registry["ReduceSum"] = importReduce<ReduceKind::Sum>;
  registry["ReduceMean"] = importReduce<ReduceKind::Mean>;
  registry["ReduceMax"] = importReduce<ReduceKind::Max>;
  registry["ReduceMin"] = importReduce<ReduceKind::Min>;
  registry["ReduceProd"] = importReduce<ReduceKind::Prod>;
  registry["ReduceL1"] = importReduce<ReduceKind::L1>;
  registry["ReduceL2"] = importReduce<ReduceKind::L2>;
  registry["ReduceSumSquare"] = importReduce<ReduceKind::SumSquare>;
  registry["ReduceLogSum"] = importReduce<ReduceKind::LogSum>;
  registry["ReduceLogSumExp"] = importReduce<ReduceKind::LogSumExp>;
  registry["ArgMax"] = importArgReduce<graph::ArgMaxOp>;
  registry["ArgMin"] = importArgReduce<graph::ArgMinOp>;
  registry["Hardmax"] = importHardmax;
  registry["TopK"] = importTopK;
  registry["CumSum"] = importCumSum;
}

} // namespace tessera::onnx
