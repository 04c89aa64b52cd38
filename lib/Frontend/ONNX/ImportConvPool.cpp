//===- ImportConvPool.cpp - Conv and pooling ops --------------------------===//
//
// Conv, MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool (a
// max_pool whose window is the whole spatial extent). Window attributes get
// their ONNX defaults, and auto_pad is resolved into explicit pads from the
// static input shape.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/ImportConvPool.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "lib/Frontend/ONNX/NodeContext.h"

using namespace mlir;

namespace tessera::onnx {

namespace {
/// Strides, dilations and pads of a sliding-window op.
struct Window {
  llvm::SmallVector<int64_t> kernel, strides, dilations, pads;
};
} // namespace

/// Reads an ints attribute of `size` entries, `defaultValue` everywhere when
/// it is absent.
static LogicalResult getWindowInts(NodeContext &node, llvm::StringRef name,
                                   size_t size, int64_t defaultValue,
                                   llvm::SmallVectorImpl<int64_t> &result) {
  std::optional<llvm::SmallVector<int64_t>> values = node.getInts(name);
  if (!values) {
    result.assign(size, defaultValue);
    return success();
  }
  if (values->size() != size) {
    node.emitError() << "'" << name << "' has " << values->size()
                     << " values, expected " << size;
    return failure();
  }
  result.assign(values->begin(), values->end());
  return success();
}

/// Fills strides, dilations and pads of `window` (whose kernel is set) from
/// the node's attributes, resolving auto_pad against `input`'s shape.
static LogicalResult resolveWindow(NodeContext &node, RankedTensorType input,
                                   Window &window) {
  size_t rank = window.kernel.size();
  if (input.getRank() != static_cast<int64_t>(rank) + 2) {
    node.emitError() << "expects an N x C x D1 x ... x D" << rank
                     << " input for a " << rank << "-d window, got " << input;
    return failure();
  }
  if (failed(getWindowInts(node, "strides", rank, 1, window.strides)) ||
      failed(getWindowInts(node, "dilations", rank, 1, window.dilations)))
    return failure();
  for (int64_t s : window.strides)
    if (s < 1) {
      node.emitError() << "strides must be >= 1";
      return failure();
    }
  for (int64_t d : window.dilations)
    if (d < 1) {
      node.emitError() << "dilations must be >= 1";
      return failure();
    }

  std::string autoPad = node.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET")
    return getWindowInts(node, "pads", 2 * rank, 0, window.pads);
  window.pads.assign(2 * rank, 0);
  if (autoPad == "VALID")
    return success();
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    node.emitError() << "unknown auto_pad '" << autoPad << "'";
    return failure();
  }
  for (size_t i = 0; i < rank; ++i) {
    int64_t in = input.getDimSize(i + 2);
    if (ShapedType::isDynamic(in)) {
      node.emitError() << "auto_pad " << autoPad
                       << " needs a static spatial input size, got " << input;
      return failure();
    }
    int64_t stride = window.strides[i];
    int64_t out = (in + stride - 1) / stride;
    int64_t extent = (window.kernel[i] - 1) * window.dilations[i] + 1;
    int64_t total = std::max<int64_t>(0, (out - 1) * stride + extent - in);
    int64_t small = total / 2, large = total - total / 2;
    window.pads[i] = autoPad == "SAME_UPPER" ? small : large;
    window.pads[i + rank] = autoPad == "SAME_UPPER" ? large : small;
  }
  return success();
}

FailureOr<Value> createConvFromNode(NodeContext &node, Value inputValue,
                                    Value weightValue, Value bias) {
  auto input = cast<RankedTensorType>(inputValue.getType());
  auto weight = cast<RankedTensorType>(weightValue.getType());
  if (weight.getRank() < 3) {
    node.emitError() << "weight must have rank >= 3, got " << weight;
    return failure();
  }
  Window window;
  for (int64_t k : weight.getShape().drop_front(2)) {
    if (ShapedType::isDynamic(k)) {
      node.emitError() << "kernel sizes must be static, got weight " << weight;
      return failure();
    }
    window.kernel.push_back(k);
  }
  if (auto kernelShape = node.getInts("kernel_shape")) {
    if (llvm::ArrayRef<int64_t>(*kernelShape) !=
        llvm::ArrayRef<int64_t>(window.kernel)) {
      node.emitError() << "kernel_shape does not match the weight " << weight;
      return failure();
    }
  }
  if (failed(resolveWindow(node, input, window)))
    return failure();
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<Value> operands = {inputValue, weightValue};
  if (bias)
    operands.push_back(bias);
  return node.create<graph::ConvOp>(
      operands,
      {b.getNamedAttr("strides", b.getDenseI64ArrayAttr(window.strides)),
       b.getNamedAttr("pads", b.getDenseI64ArrayAttr(window.pads)),
       b.getNamedAttr("dilations", b.getDenseI64ArrayAttr(window.dilations)),
       b.getNamedAttr("group", b.getI64IntegerAttr(node.getInt("group", 1)))});
}

static LogicalResult importConv(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  FailureOr<Value> result = createConvFromNode(
      node, node.getInput(0), node.getInput(1), node.getInput(2));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// Shared part of MaxPool and AveragePool.
static LogicalResult getPoolWindow(NodeContext &node, Window &window) {
  if (failed(node.requireInputs(1)))
    return failure();
  std::optional<llvm::SmallVector<int64_t>> kernel =
      node.getInts("kernel_shape");
  if (!kernel || kernel->empty()) {
    node.emitError() << "missing attribute 'kernel_shape'";
    return failure();
  }
  window.kernel = *kernel;
  return resolveWindow(node, node.getInputType(0), window);
}

static llvm::SmallVector<NamedAttribute> getPoolAttrs(NodeContext &node,
                                                      const Window &window) {
  OpBuilder &b = node.getBuilder();
  return {
      b.getNamedAttr("kernel_shape", b.getDenseI64ArrayAttr(window.kernel)),
      b.getNamedAttr("strides", b.getDenseI64ArrayAttr(window.strides)),
      b.getNamedAttr("pads", b.getDenseI64ArrayAttr(window.pads)),
      b.getNamedAttr("dilations", b.getDenseI64ArrayAttr(window.dilations)),
      b.getNamedAttr("ceil_mode", b.getBoolAttr(node.getInt("ceil_mode", 0)))};
}

static LogicalResult importMaxPool(NodeContext &node) {
  if (node.isOutputUsed(1)) {
    node.emitError() << "the Indices output is not supported";
    return failure();
  }
  if (node.getInt("storage_order", 0) != 0) {
    node.emitError() << "storage_order = 1 is not supported";
    return failure();
  }
  Window window;
  if (failed(getPoolWindow(node, window)))
    return failure();
  FailureOr<Value> result = node.create<graph::MaxPoolOp>(
      node.getInput(0), getPoolAttrs(node, window));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importAveragePool(NodeContext &node) {
  Window window;
  if (failed(getPoolWindow(node, window)))
    return failure();
  llvm::SmallVector<NamedAttribute> attrs = getPoolAttrs(node, window);
  attrs.push_back(node.getBuilder().getNamedAttr(
      "count_include_pad",
      node.getBuilder().getBoolAttr(node.getInt("count_include_pad", 0))));
  FailureOr<Value> result =
      node.create<graph::AveragePoolOp>(node.getInput(0), attrs);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importGlobalAveragePool(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  FailureOr<Value> result =
      node.create<graph::GlobalAveragePoolOp>(node.getInput(0));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// GlobalMaxPool is a max_pool whose window covers every spatial dimension.
static LogicalResult importGlobalMaxPool(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  RankedTensorType input = node.getInputType(0);
  if (input.getRank() < 3) {
    node.emitError() << "expects an N x C x D1 x ... input, got " << input;
    return failure();
  }
  llvm::ArrayRef<int64_t> spatial = input.getShape().drop_front(2);
  if (llvm::any_of(spatial, ShapedType::isDynamic)) {
    node.emitError() << "needs static spatial sizes, got " << input;
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<int64_t> ones(spatial.size(), 1);
  llvm::SmallVector<int64_t> zeros(2 * spatial.size(), 0);
  FailureOr<Value> result = node.create<graph::MaxPoolOp>(
      node.getInput(0),
      {b.getNamedAttr("kernel_shape", b.getDenseI64ArrayAttr(spatial)),
       b.getNamedAttr("strides", b.getDenseI64ArrayAttr(ones)),
       b.getNamedAttr("pads", b.getDenseI64ArrayAttr(zeros)),
       b.getNamedAttr("dilations", b.getDenseI64ArrayAttr(ones))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

void registerConvPoolImporters(OpImporterRegistry &registry) {
  registry["Conv"] = importConv;
  registry["MaxPool"] = importMaxPool;
  registry["AveragePool"] = importAveragePool;
  registry["GlobalAveragePool"] = importGlobalAveragePool;
  registry["GlobalMaxPool"] = importGlobalMaxPool;
}

} // namespace tessera::onnx
