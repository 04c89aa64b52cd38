//===- ImportDataMovement.cpp - Reshapes, transposes and friends ----------===//
//
// Reshape (constant shape, or a run-time shape with a recorded static
// output shape), Flatten, Transpose, Concat, Squeeze, Unsqueeze,
// and the ops that only forward a value in inference: Identity and Dropout.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/ReshapeUtils.h"

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
/// optional constant input since.
static LogicalResult getAxes(NodeContext &node,
                             std::optional<llvm::SmallVector<int64_t>> &axes) {
  if (node.getOpset() < 13) {
    axes = node.getInts("axes");
    return success();
  }
  if (!node.hasInput(1))
    return success();
  axes = node.getConstantInts(1);
  if (!axes) {
    node.emitError() << "the axes input '" << node.getNode().input(1)
                     << "' must be a constant";
    return failure();
  }
  return success();
}

static LogicalResult importSqueeze(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  std::optional<llvm::SmallVector<int64_t>> axes;
  if (failed(getAxes(node, axes)))
    return failure();
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
  if (failed(getAxes(node, axes)))
    return failure();
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

static LogicalResult importIdentity(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  node.setOutput(0, node.getInput(0));
  return success();
}

static LogicalResult importDropout(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  if (node.isOutputUsed(1)) {
    node.emitError() << "the mask output is not supported (inference only)";
    return failure();
  }
  if (node.hasInput(2)) {
    auto training = node.getConstantInts(2);
    if (!training || llvm::any_of(*training, [](int64_t v) { return v; })) {
      node.emitError() << "training_mode must be a constant false";
      return failure();
    }
  }
  node.setOutput(0, node.getInput(0));
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
  registry["Dropout"] = importDropout;
}

} // namespace tessera::onnx
