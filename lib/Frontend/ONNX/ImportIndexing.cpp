//===- ImportIndexing.cpp - ONNX indexing ops -----------------------------===//
//
// Importers of the ONNX ops lowered to the ops of IndexingOps.td:
// GatherElements, ScatterElements (and its opset < 11 name Scatter),
// GatherND, ScatterND, Trilu, OneHot (depth from a constant or from the
// recorded output shape), Range (folded when its inputs are constants,
// else a tg.range of the recorded output length), EyeLike (always a
// constant: only its input's shape matters), NegativeLogLikelihoodLoss and
// SoftmaxCrossEntropyLoss (tg.log_softmax on the class axis + tg.nll_loss).
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/TensorConversion.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include <cmath>
#include <sstream>

using namespace mlir;

namespace tessera::onnx {

/// Creates `OpTy` from all given inputs and the named attributes, and binds
/// output 0.
template <typename OpTy>
static LogicalResult createAndBind(NodeContext &node, ValueRange operands,
                                   ArrayRef<NamedAttribute> attrs) {
  FailureOr<Value> result = node.create<OpTy>(operands, attrs);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// Reads the `reduction` attribute of the scatter ops, which opset 16
/// introduced (earlier opsets always replace).
static NamedAttribute scatterReduction(NodeContext &node) {
  OpBuilder &b = node.getBuilder();
  return b.getNamedAttr("reduction",
                        b.getStringAttr(node.getString("reduction", "none")));
}

//===----------------------------------------------------------------------===//
// Gathers and scatters
//===----------------------------------------------------------------------===//

static LogicalResult importGatherElements(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  OpBuilder &b = node.getBuilder();
  return createAndBind<graph::GatherElementsOp>(
      node, {node.getInput(0), node.getInput(1)},
      {b.getNamedAttr("axis", b.getI64IntegerAttr(node.getInt("axis", 0)))});
}

static LogicalResult importScatterElements(NodeContext &node) {
  if (failed(node.requireInputs(3)))
    return failure();
  OpBuilder &b = node.getBuilder();
  return createAndBind<graph::ScatterElementsOp>(
      node, {node.getInput(0), node.getInput(1), node.getInput(2)},
      {b.getNamedAttr("axis", b.getI64IntegerAttr(node.getInt("axis", 0))),
       scatterReduction(node)});
}

static LogicalResult importGatherND(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  OpBuilder &b = node.getBuilder();
  return createAndBind<graph::GatherNDOp>(
      node, {node.getInput(0), node.getInput(1)},
      {b.getNamedAttr("batch_dims",
                      b.getI64IntegerAttr(node.getInt("batch_dims", 0)))});
}

static LogicalResult importScatterND(NodeContext &node) {
  if (failed(node.requireInputs(3)))
    return failure();
  return createAndBind<graph::ScatterNDOp>(
      node, {node.getInput(0), node.getInput(1), node.getInput(2)},
      {scatterReduction(node)});
}

//===----------------------------------------------------------------------===//
// Generators and masks
//===----------------------------------------------------------------------===//

static LogicalResult importTrilu(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  SmallVector<Value, 2> operands = {node.getInput(0)};
  if (node.hasInput(1))
    operands.push_back(node.getInput(1));
  return createAndBind<graph::TriluOp>(
      node, operands,
      {b.getNamedAttr("upper", b.getBoolAttr(node.getInt("upper", 1) != 0))});
}

/// OneHot's depth: a constant input, or else the size of the recorded static
/// output shape at `axis` (then `checkedAtRunTime` is set: the lowering
/// compares it with the depth input).
static FailureOr<int64_t> getOneHotDepth(NodeContext &node, int64_t axis,
                                         bool &checkedAtRunTime) {
  checkedAtRunTime = false;
  if (std::optional<SmallVector<double>> depth = node.getConstantDoubles(1)) {
    if (depth->size() != 1) {
      node.emitError() << "the 'depth' input must hold one value, got "
                       << depth->size();
      return failure();
    }
    // ONNX converts a float depth to an integer by truncation.
    return static_cast<int64_t>(depth->front());
  }
  RankedTensorType declared = node.getDeclaredOutputType(0);
  std::optional<int64_t> resultAxis =
      declared ? graph::normalizeAxis(axis, declared.getRank()) : std::nullopt;
  if (!resultAxis) {
    node.emitError() << "the 'depth' input '" << node.getNode().input(1)
                     << "' is not a constant, and the model does not record "
                        "a static shape for the output '"
                     << node.getNode().output(0)
                     << "'; make 'depth' an initializer";
    return failure();
  }
  checkedAtRunTime = true;
  return declared.getDimSize(*resultAxis);
}

static LogicalResult importOneHot(NodeContext &node) {
  if (failed(node.requireInputs(3)))
    return failure();
  int64_t axis = node.getInt("axis", -1);
  bool checkedAtRunTime;
  FailureOr<int64_t> depth = getOneHotDepth(node, axis, checkedAtRunTime);
  if (failed(depth))
    return failure();
  OpBuilder &b = node.getBuilder();
  SmallVector<Value, 3> operands = {node.getInput(0), node.getInput(2)};
  if (checkedAtRunTime)
    operands.push_back(node.getInput(1));
  return createAndBind<graph::OneHotOp>(
      node, operands,
      {b.getNamedAttr("depth", b.getI64IntegerAttr(*depth)),
       b.getNamedAttr("axis", b.getI64IntegerAttr(axis))});
}

/// Builds a constant of `type` (float, integer or bool elements) from
/// `values`.
static DenseElementsAttr buildNumericAttr(RankedTensorType type,
                                          ArrayRef<double> values) {
  Type element = type.getElementType();
  SmallVector<Attribute> attrs;
  attrs.reserve(values.size());
  for (double v : values) {
    if (isa<FloatType>(element))
      attrs.push_back(FloatAttr::get(element, v));
    else
      attrs.push_back(IntegerAttr::get(element, static_cast<int64_t>(v)));
  }
  return DenseElementsAttr::get(type, attrs);
}

/// EyeLike: ones on the `k`-th diagonal of a 2-D tensor shaped like the
/// input, of type `dtype` (default: the input's). The input's values are
/// never read, so the result is a constant.
static LogicalResult importEyeLike(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType inType = node.getInputType(0);
  if (inType.getRank() != 2 || !inType.hasStaticShape()) {
    node.emitError() << "expects a static 2-D input, got " << inType;
    return failure();
  }
  Type element = inType.getElementType();
  if (node.hasAttr("dtype")) {
    int32_t dtype = static_cast<int32_t>(node.getInt("dtype", 0));
    element = convertElementType(dtype, node.getContext());
    if (!element) {
      node.emitError() << "unsupported 'dtype' " << onnxTypeName(dtype);
      return failure();
    }
  }
  if (!isa<FloatType, IntegerType>(element)) {
    node.emitError() << "unsupported element type " << element;
    return failure();
  }
  int64_t rows = inType.getDimSize(0), cols = inType.getDimSize(1);
  int64_t k = node.getInt("k", 0);
  SmallVector<double> values(rows * cols, 0.0);
  for (int64_t i = 0; i < rows; ++i)
    if (i + k >= 0 && i + k < cols)
      values[i * cols + i + k] = 1.0;
  auto type = RankedTensorType::get({rows, cols}, element);
  node.setOutput(0, node.createConstant(buildNumericAttr(type, values)));
  return success();
}

/// Ranges of constant inputs up to this many elements are folded into a
/// constant; longer ones are computed at run time (tg.range with the static
/// count), so a hostile file cannot make the importer build a huge constant.
constexpr int64_t kMaxFoldedRange = int64_t(1) << 20;

/// The exact element count of a constant Range: max(ceil((limit - start) /
/// delta), 0), in 128 bits for integers (int64 ends may not overflow) and in
/// double for floats. None when it is not a finite number.
static std::optional<__int128> rangeCount(NodeContext &node, Type element) {
  if (isa<FloatType>(element)) {
    double s = node.getConstantDoubles(0)->front(),
           l = node.getConstantDoubles(1)->front(),
           d = node.getConstantDoubles(2)->front();
    double count = std::ceil((l - s) / d);
    if (!std::isfinite(count) || count >= 0x1p100)
      return std::nullopt;
    return count <= 0 ? 0 : static_cast<__int128>(count);
  }
  __int128 s = node.getConstantInts(0)->front(),
           l = node.getConstantInts(1)->front(),
           d = node.getConstantInts(2)->front();
  __int128 n = d > 0 ? (l - s + d - 1) / d : (s - l - d - 1) / -d;
  return n < 0 ? 0 : n;
}

/// Range of constant inputs: the sequence itself when short (floats computed
/// in double, integers exactly), else a tg.range of the static length.
static LogicalResult foldRange(NodeContext &node, Type element) {
  std::optional<__int128> count = rangeCount(node, element);
  if (!count || *count > (int64_t(1) << 40)) {
    auto text = [](double v) {
      std::ostringstream os; // Shortest form: 0, 1.15292e+18.
      os << v;
      return os.str();
    };
    node.emitError() << "Range(" << text(node.getConstantDoubles(0)->front())
                     << ", " << text(node.getConstantDoubles(1)->front())
                     << ", " << text(node.getConstantDoubles(2)->front())
                     << ") has "
                     << (count ? "more than 2^40" : "an undefined number of")
                     << " elements";
    return failure();
  }
  auto type = RankedTensorType::get({static_cast<int64_t>(*count)}, element);
  if (*count > kMaxFoldedRange) {
    FailureOr<Value> result = node.create<graph::RangeOp>(
        {node.getInput(0), node.getInput(1), node.getInput(2)}, {}, type);
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }
  if (isa<FloatType>(element)) {
    double s = node.getConstantDoubles(0)->front(),
           d = node.getConstantDoubles(2)->front();
    SmallVector<double> values;
    for (int64_t i = 0; i < static_cast<int64_t>(*count); ++i)
      values.push_back(s + i * d);
    node.setOutput(0, node.createConstant(buildNumericAttr(type, values)));
    return success();
  }
  // Integers as APInts: exact (a double loses int64 values above 2^53), and
  // no uniqued attribute per element.
  __int128 s = node.getConstantInts(0)->front(),
           d = node.getConstantInts(2)->front();
  unsigned width = element.getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  for (__int128 i = 0; i < *count; ++i)
    values.push_back(
        APInt(width, static_cast<uint64_t>(static_cast<int64_t>(s + i * d)),
              /*isSigned=*/true, /*implicitTrunc=*/true));
  node.setOutput(0, node.createConstant(DenseElementsAttr::get(type, values)));
  return success();
}

static LogicalResult importRange(NodeContext &node) {
  if (failed(node.requireInputs(3)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  Type element = type.getElementType();
  if (!isa<FloatType>(element) && !element.isSignlessInteger()) {
    node.emitError() << "unsupported element type " << element;
    return failure();
  }
  bool constant = true;
  for (unsigned i = 0; i < 3; ++i) {
    std::optional<SmallVector<double>> v = node.getConstantDoubles(i);
    if (!v) {
      constant = false;
    } else if (v->size() != 1) {
      node.emitError() << "input " << i << " must hold one value, got "
                       << v->size();
      return failure();
    }
  }
  if (constant) {
    if (node.getConstantDoubles(2)->front() == 0) {
      node.emitError() << "'delta' must not be 0";
      return failure();
    }
    return foldRange(node, element);
  }
  RankedTensorType declared = node.getDeclaredOutputType(0);
  if (!declared) {
    node.emitError() << "the inputs are not all constants, and the model does "
                        "not record a static shape for the output '"
                     << node.getNode().output(0)
                     << "'; make 'start', 'limit' and 'delta' initializers";
    return failure();
  }
  FailureOr<Value> result = node.create<graph::RangeOp>(
      {node.getInput(0), node.getInput(1), node.getInput(2)}, {}, declared);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// tg.nll_loss of `logProb` with the node's target (input 1), optional
/// weight (input 2), `reduction` and `ignore_index`.
static FailureOr<Value> createNLLLoss(NodeContext &node, Value logProb) {
  OpBuilder &b = node.getBuilder();
  SmallVector<Value, 3> operands = {logProb, node.getInput(1)};
  if (node.hasInput(2))
    operands.push_back(node.getInput(2));
  SmallVector<NamedAttribute, 2> attrs = {b.getNamedAttr(
      "reduction", b.getStringAttr(node.getString("reduction", "mean")))};
  if (node.hasAttr("ignore_index"))
    attrs.push_back(b.getNamedAttr(
        "ignore_index", b.getI64IntegerAttr(node.getInt("ignore_index", 0))));
  return node.create<graph::NLLLossOp>(operands, attrs);
}

static LogicalResult importNegativeLogLikelihoodLoss(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  FailureOr<Value> loss = createNLLLoss(node, node.getInput(0));
  if (failed(loss))
    return failure();
  node.setOutput(0, *loss);
  return success();
}

/// SoftmaxCrossEntropyLoss is NLL of the log-softmax over the class axis;
/// its optional second output is that log-softmax.
static LogicalResult importSoftmaxCrossEntropyLoss(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> logProb = node.create<graph::LogSoftmaxOp>(
      node.getInput(0), {b.getNamedAttr("axis", b.getI64IntegerAttr(1))});
  if (failed(logProb))
    return failure();
  FailureOr<Value> loss = createNLLLoss(node, *logProb);
  if (failed(loss))
    return failure();
  node.setOutput(0, *loss);
  node.setOutput(1, *logProb);
  return success();
}

void registerIndexingImporters(OpImporterRegistry &registry) {
  registry["GatherElements"] = importGatherElements;
  registry["ScatterElements"] = importScatterElements;
  registry["Scatter"] = importScatterElements;
  registry["GatherND"] = importGatherND;
  registry["ScatterND"] = importScatterND;
  registry["Trilu"] = importTrilu;
  registry["OneHot"] = importOneHot;
  registry["EyeLike"] = importEyeLike;
  registry["Range"] = importRange;
  registry["NegativeLogLikelihoodLoss"] = importNegativeLogLikelihoodLoss;
  registry["SoftmaxCrossEntropyLoss"] = importSoftmaxCrossEntropyLoss;
}

} // namespace tessera::onnx
