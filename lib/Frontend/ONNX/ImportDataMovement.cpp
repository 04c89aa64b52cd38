//===- ImportDataMovement.cpp - Reshapes, transposes and friends ----------===//
//
// Reshape (constant shape, or a run-time shape with a recorded static
// output shape), Flatten, Transpose, Concat, Squeeze, Unsqueeze, Expand and
// Tile (constant shape/repeats), Slice (constant starts/ends/axes/steps),
// Split (as slices), Pad (constant pads),
// and the ops that only forward a value in inference: Identity and Dropout.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/ReshapeUtils.h"
#include "lib/Frontend/ONNX/RuntimeShapeOperand.h"

#include <algorithm>

using namespace mlir;

namespace tessera::onnx {

/// If `input` is an inline constant and `result` has a static type, replaces
/// the op defining `result` by the folded constant.
static Value foldConstantReshape(NodeContext &node, Value input, Value result) {
  auto constant = input.getDefiningOp<graph::ConstantOp>();
  auto type = cast<RankedTensorType>(result.getType());
  if (!constant || !type.hasStaticShape())
    return result;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!dense)
    return result;
  Value folded = node.createConstant(dense.reshape(type));
  result.getDefiningOp()->erase();
  return folded;
}

/// Reshape whose shape input is only known at run time: the model's recorded
/// output type (after ONNX shape inference) gives the static result shape,
/// and tg.dynamic_reshape checks at run time that the shape input agrees.
static LogicalResult importRuntimeShapeReshape(NodeContext &node) {
  RankedTensorType resultType = node.getDeclaredOutputType(0);
  if (!resultType) {
    node.emitError() << "the shape input '" << node.getNode().input(1)
                     << "' is not a constant (nor computable from static "
                        "shapes), and the model does not record a static "
                        "shape for the output '"
                     << node.getNode().output(0) << "'";
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::DynamicReshapeOp>(
      {node.getInput(0), node.getInput(1)},
      {b.getNamedAttr("allowzero", b.getBoolAttr(node.getInt("allowzero", 0)))},
      resultType);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importReshape(NodeContext &node) {
  if (failed(node.requireInputs(node.getOpset() < 5 ? 1 : 2)))
    return failure();
  std::optional<llvm::SmallVector<int64_t>> shape;
  if (node.getOpset() < 5) {
    shape = node.getInts("shape");
    if (!shape) {
      node.emitError() << "missing attribute 'shape'";
      return failure();
    }
  } else {
    shape = node.getConstantInts(1);
    if (!shape)
      return importRuntimeShapeReshape(node);
  }
  OpBuilder &b = node.getBuilder();
  Value input = node.getInput(0);
  FailureOr<Value> result = node.create<graph::ReshapeOp>(
      input, {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(*shape)),
              b.getNamedAttr("allowzero",
                             b.getBoolAttr(node.getInt("allowzero", 0)))});
  if (failed(result))
    return failure();
  node.setOutput(0, foldConstantReshape(node, input, *result));
  return success();
}

static LogicalResult importFlatten(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::FlattenOp>(
      node.getInput(0),
      {b.getNamedAttr("axis", b.getI64IntegerAttr(node.getInt("axis", 1)))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importTranspose(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  llvm::SmallVector<int64_t> perm;
  if (auto given = node.getInts("perm")) {
    perm = *given;
  } else {
    for (int64_t i = type.getRank() - 1; i >= 0; --i)
      perm.push_back(i);
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::TransposeOp>(
      node.getInput(0), {b.getNamedAttr("perm", b.getDenseI64ArrayAttr(perm))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importConcat(NodeContext &node) {
  llvm::SmallVector<Value> inputs;
  for (unsigned i = 0; i < node.getNumInputs(); ++i)
    if (Value input = node.getInput(i))
      inputs.push_back(input);
  if (inputs.empty()) {
    node.emitError() << "expects at least one input";
    return failure();
  }
  int64_t axis = node.getInt("axis", node.getOpset() < 4 ? 1 : 0);
  if (node.getOpset() >= 4 && !node.hasAttr("axis")) {
    node.emitError() << "missing attribute 'axis'";
    return failure();
  }

  // Shape computations: concatenate constant 1-D i64 tensors right away.
  llvm::SmallVector<int64_t> folded;
  bool allConstant = true;
  for (unsigned i = 0; i < node.getNumInputs() && allConstant; ++i) {
    if (!node.hasInput(i))
      continue;
    RankedTensorType type = node.getInputType(i);
    auto values = node.getConstantInts(i);
    allConstant = values && type.getRank() == 1 &&
                  type.getElementType().isSignlessInteger(64);
    if (allConstant)
      folded.append(*values);
  }
  if (allConstant) {
    node.setOutput(0, node.createI64Constant(
                          folded, {static_cast<int64_t>(folded.size())}));
    return success();
  }

  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::ConcatOp>(
      inputs, {b.getNamedAttr("axis", b.getI64IntegerAttr(axis))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// The `axes` of Squeeze/Unsqueeze: an attribute before opset 13, an
/// optional input since. Returns true when the axes input is computed at run
/// time (then `axes` stays empty).
static bool getAxes(NodeContext &node,
                    std::optional<llvm::SmallVector<int64_t>> &axes) {
  if (node.getOpset() < 13) {
    axes = node.getInts("axes");
    return false;
  }
  if (!node.hasInput(1))
    return false;
  axes = node.getConstantInts(1);
  return !axes;
}

/// Squeeze/Unsqueeze whose axes are computed at run time: a reshape to the
/// recorded output shape, with the axes checked at run time.
static LogicalResult importRuntimeAxesReshape(NodeContext &node,
                                              llvm::StringRef kind) {
  RankedTensorType type = node.getInputType(0);
  FailureOr<RankedTensorType> resultType =
      getRecordedOutputType(node, 0, 1, "axes");
  if (failed(resultType))
    return failure();
  if (!type.hasStaticShape()) {
    node.emitError() << "axes computed at run time need a static input "
                        "shape, got "
                     << type << " (specialize the model with --shape)";
    return failure();
  }
  if (failed(addShapeCheck(node, 1, "axes", kind, type.getShape(),
                           resultType->getShape())))
    return failure();
  FailureOr<Value> result =
      createReshapeTo(node, node.getInput(0), resultType->getShape());
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importSqueeze(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  std::optional<llvm::SmallVector<int64_t>> axes;
  if (getAxes(node, axes))
    return importRuntimeAxesReshape(node, "squeeze");
  RankedTensorType type = node.getInputType(0);
  int64_t rank = type.getRank();
  llvm::SmallVector<bool> squeezed(rank, false);
  if (!axes) {
    for (int64_t i = 0; i < rank; ++i) {
      if (type.isDynamicDim(i)) {
        node.emitError() << "squeezing all size-1 dims needs a static shape, "
                         << "got " << type;
        return failure();
      }
      squeezed[i] = type.getDimSize(i) == 1;
    }
  } else {
    for (int64_t axis : *axes) {
      std::optional<int64_t> normalized = graph::normalizeAxis(axis, rank);
      if (!normalized || (!type.isDynamicDim(*normalized) &&
                          type.getDimSize(*normalized) != 1)) {
        node.emitError() << "cannot squeeze axis " << axis << " of " << type;
        return failure();
      }
      squeezed[*normalized] = true;
    }
  }
  llvm::SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!squeezed[i])
      shape.push_back(type.getDimSize(i));
  FailureOr<Value> result = createReshapeTo(node, node.getInput(0), shape);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importUnsqueeze(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  std::optional<llvm::SmallVector<int64_t>> axes;
  if (getAxes(node, axes))
    return importRuntimeAxesReshape(node, "unsqueeze");
  if (!axes) {
    node.emitError() << "missing 'axes'";
    return failure();
  }
  RankedTensorType type = node.getInputType(0);
  int64_t rank = type.getRank() + axes->size();
  llvm::SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    std::optional<int64_t> normalized = graph::normalizeAxis(axis, rank);
    if (!normalized || inserted[*normalized]) {
      node.emitError() << "invalid axes for unsqueezing " << type;
      return failure();
    }
    inserted[*normalized] = true;
  }
  llvm::SmallVector<int64_t> shape;
  auto inputDims = type.getShape();
  for (int64_t i = 0, next = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : inputDims[next++]);
  FailureOr<Value> result = createReshapeTo(node, node.getInput(0), shape);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// The constant integer input `index` named `what`; reports otherwise.
static FailureOr<llvm::SmallVector<int64_t>>
requireConstantInts(NodeContext &node, unsigned index, llvm::StringRef what) {
  std::optional<llvm::SmallVector<int64_t>> values =
      node.getConstantInts(index);
  if (!values) {
    node.emitError() << "the '" << what
                     << "' input must be a constant integer tensor";
    return failure();
  }
  return *values;
}

/// Expand: broadcast to a constant `shape`.
static LogicalResult importExpand(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  llvm::SmallVector<int64_t> shape;
  if (auto constant = node.getConstantInts(1)) {
    shape = *constant;
  } else {
    // Computed at run time: broadcast to the recorded output shape, and
    // check at run time that the input gives it.
    FailureOr<RankedTensorType> resultType =
        getRecordedOutputType(node, 0, 1, "shape");
    RankedTensorType type = node.getInputType(0);
    if (failed(resultType))
      return failure();
    if (!type.hasStaticShape()) {
      node.emitError() << "a 'shape' computed at run time needs a static "
                          "input shape, got "
                       << type << " (specialize the model with --shape)";
      return failure();
    }
    if (failed(addShapeCheck(node, 1, "shape", "expand", type.getShape(),
                             resultType->getShape())))
      return failure();
    shape.assign(resultType->getShape().begin(), resultType->getShape().end());
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::ExpandOp>(
      node.getInput(0),
      {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(shape))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importTile(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  llvm::SmallVector<int64_t> repeats;
  if (auto constant = node.getConstantInts(1)) {
    repeats = *constant;
  } else {
    // Computed at run time: repeats from the recorded output shape, checked
    // at run time.
    FailureOr<RankedTensorType> resultType =
        getRecordedOutputType(node, 0, 1, "repeats");
    RankedTensorType type = node.getInputType(0);
    if (failed(resultType))
      return failure();
    if (!type.hasStaticShape() || type.getRank() != resultType->getRank()) {
      node.emitError() << "'repeats' computed at run time needs a static "
                          "input shape of the output's rank, got "
                       << type << " for output " << *resultType;
      return failure();
    }
    for (auto [in, out] :
         llvm::zip(type.getShape(), resultType->getShape()))
      repeats.push_back(in == 0 ? 1 : out / in);
    if (failed(addShapeCheck(node, 1, "repeats", "tile", type.getShape(),
                             resultType->getShape())))
      return failure();
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::TileOp>(
      node.getInput(0),
      {b.getNamedAttr("repeats", b.getDenseI64ArrayAttr(repeats))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// Slice whose starts/ends/axes/steps inputs are computed at run time:
/// tg.dynamic_slice to the recorded output shape, checked at run time.
static LogicalResult importRuntimeSlice(NodeContext &node) {
  FailureOr<RankedTensorType> resultType =
      getRecordedOutputType(node, 0, 1, "starts");
  if (failed(resultType))
    return failure();
  OpBuilder &b = node.getBuilder();
  auto slice = graph::DynamicSliceOp::create(
      b, node.getLoc(), *resultType, node.getInput(0), node.getInput(1),
      node.getInput(2), node.hasInput(3) ? node.getInput(3) : Value(),
      node.hasInput(4) ? node.getInput(4) : Value());
  if (failed(mlir::verify(slice)))
    return failure();
  node.setOutput(0, slice.getResult());
  return success();
}

/// Slice: starts/ends/axes/steps as attributes (opset < 10) or constant
/// inputs, normalized per dimension with ONNX's clamping rules.
static LogicalResult importSlice(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  int64_t rank = type.getRank();
  if (!type.hasStaticShape()) {
    node.emitError() << "Slice needs a static input shape, got " << type;
    return failure();
  }
  llvm::SmallVector<int64_t> starts, ends, axes, steps;
  if (node.getOpset() < 10) {
    auto s = node.getInts("starts"), e = node.getInts("ends");
    if (!s || !e) {
      node.emitError() << "missing 'starts' or 'ends' attribute";
      return failure();
    }
    starts = *s;
    ends = *e;
    if (auto a = node.getInts("axes"))
      axes = *a;
  } else {
    if (failed(node.requireInputs(3)))
      return failure();
    for (unsigned i = 1; i <= 4; ++i)
      if (node.hasInput(i) && !node.getConstantInts(i))
        return importRuntimeSlice(node);
    FailureOr<llvm::SmallVector<int64_t>> s =
        requireConstantInts(node, 1, "starts");
    if (failed(s))
      return failure();
    FailureOr<llvm::SmallVector<int64_t>> e =
        requireConstantInts(node, 2, "ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (node.hasInput(3)) {
      FailureOr<llvm::SmallVector<int64_t>> a =
          requireConstantInts(node, 3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (node.hasInput(4)) {
      FailureOr<llvm::SmallVector<int64_t>> st =
          requireConstantInts(node, 4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (int64_t i = 0; i < (int64_t)starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    node.emitError() << "'starts', 'ends', 'axes' and 'steps' must have the "
                        "same length";
    return failure();
  }
  llvm::SmallVector<int64_t> nStarts(rank, 0), nEnds(type.getShape()),
      nSteps(rank, 1);
  llvm::SmallVector<bool> seen(rank, false);
  for (size_t k = 0; k < starts.size(); ++k) {
    std::optional<int64_t> axis = graph::normalizeAxis(axes[k], rank);
    if (!axis || seen[*axis]) {
      node.emitError() << "invalid or repeated axis " << axes[k]
                       << " for rank " << rank;
      return failure();
    }
    seen[*axis] = true;
    int64_t dim = type.getDimSize(*axis), step = steps[k];
    if (step == 0) {
      node.emitError() << "'steps' values must not be 0";
      return failure();
    }
    // Saturating `v + dim` for negative indices (ends may be INT64_MIN).
    auto resolve = [&](int64_t v) { return v < 0 ? v + dim : v; };
    int64_t start = resolve(starts[k]), end = resolve(ends[k]);
    if (dim == 0) {
      start = end = 0;
      step = 1;
    } else if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, start, dim);
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, start);
    }
    nStarts[*axis] = start;
    nEnds[*axis] = end;
    nSteps[*axis] = step;
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::SliceOp>(
      node.getInput(0),
      {b.getNamedAttr("starts", b.getDenseI64ArrayAttr(nStarts)),
       b.getNamedAttr("ends", b.getDenseI64ArrayAttr(nEnds)),
       b.getNamedAttr("steps", b.getDenseI64ArrayAttr(nSteps))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// Split into tg.slice ops along `axis`: sizes from the constant `split`
/// input (opset >= 13) or attribute, else equal parts (the last one smaller
/// with opset 18's `num_outputs`).
static LogicalResult importSplit(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  if (!type.hasStaticShape()) {
    node.emitError() << "Split needs a static input shape, got " << type;
    return failure();
  }
  int64_t rank = type.getRank();
  std::optional<int64_t> axis = graph::normalizeAxis(node.getInt("axis", 0), rank);
  if (!axis) {
    node.emitError() << "axis " << node.getInt("axis", 0)
                     << " is out of range for rank " << rank;
    return failure();
  }
  int64_t dim = type.getDimSize(*axis);
  unsigned numOutputs = node.getNode().output_size();
  llvm::SmallVector<int64_t> sizes;
  if (node.getOpset() < 13 && node.hasAttr("split")) {
    sizes = *node.getInts("split");
  } else if (node.getOpset() >= 13 && node.hasInput(1)) {
    if (auto split = node.getConstantInts(1)) {
      sizes = *split;
    } else {
      // Computed at run time: sizes from the recorded output shapes, checked
      // at run time.
      for (unsigned i = 0; i < numOutputs; ++i) {
        FailureOr<RankedTensorType> resultType =
            getRecordedOutputType(node, i, 1, "split");
        if (failed(resultType))
          return failure();
        if (resultType->getRank() != rank) {
          node.emitError() << "output " << i << " is recorded as "
                           << *resultType << ", not of rank " << rank;
          return failure();
        }
        sizes.push_back(resultType->getDimSize(*axis));
      }
      if (failed(addShapeCheck(node, 1, "split", "equals", {}, sizes)))
        return failure();
    }
  } else {
    int64_t parts = node.getOpset() >= 18 ? node.getInt("num_outputs", 0)
                                          : (int64_t)numOutputs;
    if (parts <= 0 || parts != (int64_t)numOutputs) {
      node.emitError() << "cannot split into " << parts << " parts with "
                       << numOutputs << " outputs";
      return failure();
    }
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t i = 0, left = dim; i < parts; ++i, left -= chunk)
      sizes.push_back(std::clamp<int64_t>(left, 0, chunk));
  }
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0) {
      node.emitError() << "split sizes must be >= 0, got " << size;
      return failure();
    }
    total += size;
  }
  if (sizes.size() != numOutputs || total != dim) {
    node.emitError() << "split sizes must be " << numOutputs
                     << " values summing to " << dim;
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<int64_t> starts(rank, 0), ends(type.getShape()),
      steps(rank, 1);
  int64_t offset = 0;
  for (unsigned i = 0; i < numOutputs; ++i) {
    starts[*axis] = offset;
    ends[*axis] = offset + sizes[i];
    offset += sizes[i];
    FailureOr<Value> part = node.create<graph::SliceOp>(
        node.getInput(0),
        {b.getNamedAttr("starts", b.getDenseI64ArrayAttr(starts)),
         b.getNamedAttr("ends", b.getDenseI64ArrayAttr(ends)),
         b.getNamedAttr("steps", b.getDenseI64ArrayAttr(steps))});
    if (failed(part))
      return failure();
    node.setOutput(i, *part);
  }
  return success();
}

/// Pad: pads and value as attributes (opset < 11) or constant inputs.
/// Pad whose pads or constant value are computed at run time:
/// tg.dynamic_pad to the recorded output shape, checked at run time.
static LogicalResult importRuntimePad(NodeContext &node) {
  if (node.hasInput(3)) {
    node.emitError() << "the 'axes' input is not supported";
    return failure();
  }
  FailureOr<RankedTensorType> resultType =
      getRecordedOutputType(node, 0, 1, "pads");
  if (failed(resultType))
    return failure();
  OpBuilder &b = node.getBuilder();
  auto pad = graph::DynamicPadOp::create(
      b, node.getLoc(), *resultType, node.getInput(0), node.getInput(1),
      node.hasInput(2) ? node.getInput(2) : Value(),
      b.getStringAttr(node.getString("mode", "constant")));
  if (failed(mlir::verify(pad)))
    return failure();
  node.setOutput(0, pad.getResult());
  return success();
}

static LogicalResult importPad(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  llvm::SmallVector<int64_t> pads;
  double value = 0.0;
  if (node.getOpset() < 11) {
    auto p = node.getInts(node.getOpset() < 2 ? "paddings" : "pads");
    if (!p) {
      node.emitError() << "missing 'pads' attribute";
      return failure();
    }
    pads = *p;
    value = node.getFloat("value", 0.0f);
  } else {
    if (failed(node.requireInputs(2)))
      return failure();
    if (!node.getConstantInts(1) ||
        (node.hasInput(2) && !node.getConstantDoubles(2)))
      return importRuntimePad(node);
    FailureOr<llvm::SmallVector<int64_t>> p =
        requireConstantInts(node, 1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (node.hasInput(2)) {
      auto v = node.getConstantDoubles(2);
      if (!v || v->size() != 1) {
        node.emitError()
            << "the 'constant_value' input must be a constant scalar";
        return failure();
      }
      value = v->front();
    }
    if (node.hasInput(3)) {
      node.emitError() << "the 'axes' input is not supported";
      return failure();
    }
  }
  OpBuilder &b = node.getBuilder();
  FailureOr<Value> result = node.create<graph::PadOp>(
      node.getInput(0),
      {b.getNamedAttr("pads", b.getDenseI64ArrayAttr(pads)),
       b.getNamedAttr("mode",
                      b.getStringAttr(node.getString("mode", "constant"))),
       b.getNamedAttr("value", b.getF64FloatAttr(value))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importIdentity(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  node.setOutput(0, node.getInput(0));
  return success();
}

/// Dropout at inference is the identity, and its mask is all true. In
/// training mode it is random unless the ratio is 0, so a constant ratio of 0
/// is the only training-mode form accepted.
static LogicalResult importDropout(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  if (node.hasInput(2)) {
    auto training = node.getConstantInts(2);
    if (!training) {
      node.emitError() << "training_mode must be a constant (inference only)";
      return failure();
    }
    if (llvm::any_of(*training, [](int64_t v) { return v; })) {
      auto ratio = node.getConstantDoubles(1);
      if (!ratio || llvm::any_of(*ratio, [](double r) { return r != 0.0; })) {
        node.emitError() << "training_mode is true with a non-zero ratio: "
                            "random dropout is not supported (export the "
                            "model in eval mode)";
        return failure();
      }
    }
  }
  Value input = node.getInput(0);
  node.setOutput(0, input);
  if (node.isOutputUsed(1)) {
    RankedTensorType type = node.getInputType(0);
    if (!type.hasStaticShape()) {
      node.emitError() << "the mask output needs a static input shape, not "
                       << type << " (specialize the model with --shape)";
      return failure();
    }
    auto maskType = RankedTensorType::get(type.getShape(),
                                          node.getBuilder().getI1Type());
    node.setOutput(1, node.createConstant(DenseElementsAttr::get(maskType, true)));
  }
  return success();
}

void registerDataMovementImporters(OpImporterRegistry &registry) {
  registry["Reshape"] = importReshape;
  registry["Flatten"] = importFlatten;
  registry["Transpose"] = importTranspose;
  registry["Concat"] = importConcat;
  registry["Squeeze"] = importSqueeze;
  registry["Unsqueeze"] = importUnsqueeze;
  registry["Identity"] = importIdentity;
  registry["Expand"] = importExpand;
  registry["Tile"] = importTile;
  registry["Slice"] = importSlice;
  registry["Split"] = importSplit;
  registry["Pad"] = importPad;
  registry["Dropout"] = importDropout;
}

} // namespace tessera::onnx
