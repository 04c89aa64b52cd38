//===- ImportNormalization.cpp - Normalizations and softmaxes -------------===//
//
// BatchNormalization (inference form only) and Softmax/LogSoftmax. Before
// opset 13 the softmaxes coerce their input to 2-D at `axis`; that is
// expressed as tg.flatten -> tg.softmax (axis 1) -> tg.reshape back.
//
// LayerNormalization, InstanceNormalization and MeanVarianceNormalization
// are composed from tg.reduce_mean and elementwise ops: the variance is the
// mean of the squared centered input (not E[x^2] - E[x]^2, which cancels
// badly). LRN is a sum of squares over a window of channels: an average
// pool (counting the padding) over the squares viewed as N x 1 x C x rest.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"
#include "lib/Frontend/ONNX/NodeContext.h"
#include "lib/Frontend/ONNX/ReshapeUtils.h"

using namespace mlir;

namespace tessera::onnx {

static LogicalResult importBatchNorm(NodeContext &node) {
  if (failed(node.requireInputs(5)))
    return failure();
  for (unsigned i = 1; i < 5; ++i) {
    if (node.isOutputUsed(i)) {
      node.emitError() << "only inference is supported, but output " << i
                       << " ('" << node.getNode().output(i)
                       << "', a training statistic) is used";
      return failure();
    }
  }
  if (node.getInt("training_mode", 0) != 0) {
    node.emitError() << "training_mode = 1 is not supported";
    return failure();
  }
  if (node.getOpset() < 9 && node.getInt("spatial", 1) == 0) {
    node.emitError() << "spatial = 0 is not supported";
    return failure();
  }
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<Value> operands;
  for (unsigned i = 0; i < 5; ++i)
    operands.push_back(node.getInput(i));
  FailureOr<Value> result = node.create<graph::BatchNormOp>(
      operands,
      {b.getNamedAttr("epsilon",
                      b.getF32FloatAttr(node.getFloat("epsilon", 1e-5f)))});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

template <typename OpTy> static LogicalResult importSoftmax(NodeContext &node) {
  if (failed(node.requireInputs(1)))
    return failure();
  OpBuilder &b = node.getBuilder();
  Value input = node.getInput(0);
  RankedTensorType type = node.getInputType(0);
  auto axisAttr = [&](int64_t axis) {
    return b.getNamedAttr("axis", b.getI64IntegerAttr(axis));
  };
  if (node.getOpset() >= 13) {
    FailureOr<Value> result =
        node.create<OpTy>(input, {axisAttr(node.getInt("axis", -1))});
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }

  // Opsets < 13: softmax over the flattened dims [axis, rank).
  std::optional<int64_t> axis =
      graph::normalizeAxis(node.getInt("axis", 1), type.getRank());
  if (!axis && !(type.getRank() == 0)) {
    node.emitError() << "axis " << node.getInt("axis", 1)
                     << " is out of range for " << type;
    return failure();
  }
  if (!axis || *axis == type.getRank() - 1) {
    // Coercing at the last axis is the softmax over the last axis.
    FailureOr<Value> result = node.create<OpTy>(input, {axisAttr(-1)});
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }
  FailureOr<Value> flat =
      node.create<graph::FlattenOp>(input, {axisAttr(*axis)});
  if (failed(flat))
    return failure();
  FailureOr<Value> softmax = node.create<OpTy>(*flat, {axisAttr(1)});
  if (failed(softmax))
    return failure();
  FailureOr<Value> result = createReshapeTo(node, *softmax, type.getShape());
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalizations composed from reductions
//===----------------------------------------------------------------------===//

/// A rank-0 tg.constant of the float type `elementType`.
static Value createFloatScalar(NodeContext &node, Type elementType,
                               double value) {
  auto type = RankedTensorType::get({}, elementType);
  return node.createConstant(DenseElementsAttr::get(
      type, node.getBuilder().getFloatAttr(elementType, value)));
}

/// tg.reduce_mean of `input` along the sorted `axes`, keeping them.
static FailureOr<Value> createMean(NodeContext &node, Value input,
                                   llvm::ArrayRef<int64_t> axes) {
  OpBuilder &b = node.getBuilder();
  return node.create<graph::ReduceMeanOp>(
      input, {b.getNamedAttr("axes", b.getDenseI64ArrayAttr(axes)),
              b.getNamedAttr("keepdims", b.getBoolAttr(true))});
}

/// The statistics of `input` over `axes` (kept as size-1 dimensions).
struct Moments {
  Value mean;
  /// input - mean.
  Value centered;
  /// mean(centered^2).
  Value variance;
};

static FailureOr<Moments> createMoments(NodeContext &node, Value input,
                                        llvm::ArrayRef<int64_t> axes) {
  Moments m;
  FailureOr<Value> mean = createMean(node, input, axes);
  if (failed(mean))
    return failure();
  m.mean = *mean;
  FailureOr<Value> centered = node.create<graph::SubOp>({input, m.mean});
  if (failed(centered))
    return failure();
  m.centered = *centered;
  FailureOr<Value> square = node.create<graph::MulOp>({m.centered, m.centered});
  if (failed(square))
    return failure();
  FailureOr<Value> variance = createMean(node, *square, axes);
  if (failed(variance))
    return failure();
  m.variance = *variance;
  return m;
}

/// 1 / sqrt(variance + epsilon).
static FailureOr<Value> createInvStdDev(NodeContext &node, Value variance,
                                        double epsilon) {
  Type elementType =
      cast<RankedTensorType>(variance.getType()).getElementType();
  FailureOr<Value> shifted = node.create<graph::AddOp>(
      {variance, createFloatScalar(node, elementType, epsilon)});
  if (failed(shifted))
    return failure();
  FailureOr<Value> stddev = node.create<graph::SqrtOp>(*shifted);
  if (failed(stddev))
    return failure();
  return node.create<graph::ReciprocalOp>(*stddev);
}

/// Checks that input `i` has floating-point elements.
static LogicalResult requireFloatInput(NodeContext &node, unsigned i) {
  RankedTensorType type = node.getInputType(i);
  if (isa<FloatType>(type.getElementType()))
    return success();
  node.emitError() << "expects floating-point elements, got " << type;
  return failure();
}

/// `x * scale + bias` (bias optional), broadcasting.
static FailureOr<Value> createAffine(NodeContext &node, Value x, Value scale,
                                     Value bias) {
  FailureOr<Value> scaled = node.create<graph::MulOp>({x, scale});
  if (failed(scaled) || !bias)
    return scaled;
  return node.create<graph::AddOp>({*scaled, bias});
}

/// LayerNormalization (opset 17): normalizes over the dimensions from
/// `axis` on; Mean and InvStdDev (size-1 normalized dimensions) are
/// optional outputs. With `stash_type` 1 the statistics are computed in f32.
static LogicalResult importLayerNorm(NodeContext &node) {
  if (failed(node.requireInputs(2)) || failed(requireFloatInput(node, 0)))
    return failure();
  Value input = node.getInput(0);
  RankedTensorType type = node.getInputType(0);
  int64_t axisAttr = node.getInt("axis", -1);
  std::optional<int64_t> axis = graph::normalizeAxis(axisAttr, type.getRank());
  if (!axis) {
    node.emitError() << "axis " << axisAttr << " is out of range for " << type;
    return failure();
  }
  int64_t stashType = node.getInt("stash_type", 1);
  if (stashType != 1) {
    node.emitError() << "stash_type " << stashType
                     << " is not supported (only 1, float32)";
    return failure();
  }
  // The statistics are computed in f32 (stash_type 1) and Y is cast back.
  Type stashElement = node.getBuilder().getF32Type();
  bool widen = type.getElementType() != stashElement;
  auto castTo = [&](Value v, Type element) -> FailureOr<Value> {
    auto t = cast<RankedTensorType>(v.getType());
    return node.create<graph::CastOp>(v, {}, t.clone(element));
  };
  Value x = input;
  if (widen) {
    FailureOr<Value> widened = castTo(input, stashElement);
    if (failed(widened))
      return failure();
    x = *widened;
  }
  llvm::SmallVector<int64_t> axes;
  for (int64_t i = *axis; i < type.getRank(); ++i)
    axes.push_back(i);
  FailureOr<Moments> moments = createMoments(node, x, axes);
  if (failed(moments))
    return failure();
  FailureOr<Value> invStdDev =
      createInvStdDev(node, moments->variance, node.getFloat("epsilon", 1e-5f));
  if (failed(invStdDev))
    return failure();
  FailureOr<Value> normalized =
      node.create<graph::MulOp>({moments->centered, *invStdDev});
  if (failed(normalized))
    return failure();
  Value y = *normalized;
  if (widen) {
    FailureOr<Value> narrowed = castTo(y, type.getElementType());
    if (failed(narrowed))
      return failure();
    y = *narrowed;
  }
  FailureOr<Value> result =
      createAffine(node, y, node.getInput(1), node.getInput(2));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  node.setOutput(1, moments->mean);
  node.setOutput(2, *invStdDev);
  return success();
}

/// InstanceNormalization: normalizes each channel of each sample over the
/// spatial dimensions, then applies the per-channel scale and bias.
static LogicalResult importInstanceNorm(NodeContext &node) {
  if (failed(node.requireInputs(3)) || failed(requireFloatInput(node, 0)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  int64_t rank = type.getRank();
  if (rank < 3) {
    node.emitError() << "expects an N x C x D1 x ... input, got " << type;
    return failure();
  }
  llvm::SmallVector<int64_t> axes;
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  FailureOr<Moments> moments = createMoments(node, node.getInput(0), axes);
  if (failed(moments))
    return failure();
  FailureOr<Value> invStdDev =
      createInvStdDev(node, moments->variance, node.getFloat("epsilon", 1e-5f));
  if (failed(invStdDev))
    return failure();
  FailureOr<Value> normalized =
      node.create<graph::MulOp>({moments->centered, *invStdDev});
  if (failed(normalized))
    return failure();
  // The C-element scale and bias broadcast as C x 1 x ... x 1.
  llvm::SmallVector<Value, 2> perChannel;
  for (unsigned i : {1u, 2u}) {
    RankedTensorType t = node.getInputType(i);
    if (t.getRank() != 1) {
      node.emitError() << "expects 1-D per-channel scale and bias, got " << t;
      return failure();
    }
    llvm::SmallVector<int64_t> shape(rank - 1, 1);
    shape[0] = t.getDimSize(0);
    FailureOr<Value> reshaped = createReshapeTo(node, node.getInput(i), shape);
    if (failed(reshaped))
      return failure();
    perChannel.push_back(*reshaped);
  }
  FailureOr<Value> result =
      createAffine(node, *normalized, perChannel[0], perChannel[1]);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// MeanVarianceNormalization: (x - mean) / (sqrt(variance) + 1e-9) over
/// `axes` (default 0, 2, 3), as the ONNX function body defines it.
static LogicalResult importMeanVarianceNorm(NodeContext &node) {
  if (failed(node.requireInputs(1)) || failed(requireFloatInput(node, 0)))
    return failure();
  RankedTensorType type = node.getInputType(0);
  llvm::SmallVector<int64_t> axes;
  for (int64_t a :
       node.getInts("axes").value_or(llvm::SmallVector<int64_t>{0, 2, 3})) {
    std::optional<int64_t> axis = graph::normalizeAxis(a, type.getRank());
    if (!axis || llvm::is_contained(axes, *axis)) {
      node.emitError() << "axis " << a << " is out of range or repeated for "
                       << type;
      return failure();
    }
    axes.push_back(*axis);
  }
  llvm::sort(axes);
  FailureOr<Moments> moments = createMoments(node, node.getInput(0), axes);
  if (failed(moments))
    return failure();
  FailureOr<Value> stddev = node.create<graph::SqrtOp>(moments->variance);
  if (failed(stddev))
    return failure();
  FailureOr<Value> denominator = node.create<graph::AddOp>(
      {*stddev, createFloatScalar(node, type.getElementType(), 1e-9)});
  if (failed(denominator))
    return failure();
  FailureOr<Value> result =
      node.create<graph::DivOp>({moments->centered, *denominator});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// LRN: x / (bias + alpha / size * sum of x^2 over the channels
/// [c - floor((size-1)/2), c + ceil((size-1)/2)])^beta. The windowed sum
/// divided by `size` is an average pool (padding counted) of x^2 viewed as
/// N x 1 x C x (product of the other dimensions).
static LogicalResult importLRN(NodeContext &node) {
  if (failed(node.requireInputs(1)) || failed(requireFloatInput(node, 0)))
    return failure();
  Value input = node.getInput(0);
  RankedTensorType type = node.getInputType(0);
  int64_t size = node.getInt("size", 0);
  if (size < 1) {
    node.emitError() << "the 'size' attribute must be >= 1, got " << size;
    return failure();
  }
  if (type.getRank() < 2 || !type.hasStaticShape()) {
    node.emitError() << "expects a static N x C x ... input, got " << type;
    return failure();
  }
  int64_t rest = 1;
  for (int64_t d : type.getShape().drop_front(2))
    rest *= d;
  Type elementType = type.getElementType();
  FailureOr<Value> square = node.create<graph::MulOp>({input, input});
  if (failed(square))
    return failure();
  FailureOr<Value> view = createReshapeTo(
      node, *square, {type.getDimSize(0), 1, type.getDimSize(1), rest});
  if (failed(view))
    return failure();
  OpBuilder &b = node.getBuilder();
  int64_t before = (size - 1) / 2, after = size - 1 - before;
  FailureOr<Value> average = node.create<graph::AveragePoolOp>(
      *view,
      {b.getNamedAttr("kernel_shape", b.getDenseI64ArrayAttr({size, 1})),
       b.getNamedAttr("strides", b.getDenseI64ArrayAttr({1, 1})),
       b.getNamedAttr("pads", b.getDenseI64ArrayAttr({before, 0, after, 0})),
       b.getNamedAttr("dilations", b.getDenseI64ArrayAttr({1, 1})),
       b.getNamedAttr("count_include_pad", b.getBoolAttr(true))});
  if (failed(average))
    return failure();
  FailureOr<Value> sum = createReshapeTo(node, *average, type.getShape());
  if (failed(sum))
    return failure();
  FailureOr<Value> scaled = node.create<graph::MulOp>(
      {*sum,
       createFloatScalar(node, elementType, node.getFloat("alpha", 1e-4f))});
  if (failed(scaled))
    return failure();
  FailureOr<Value> base = node.create<graph::AddOp>(
      {*scaled,
       createFloatScalar(node, elementType, node.getFloat("bias", 1.0f))});
  if (failed(base))
    return failure();
  FailureOr<Value> power = node.create<graph::PowOp>(
      {*base,
       createFloatScalar(node, elementType, node.getFloat("beta", 0.75f))});
  if (failed(power))
    return failure();
  FailureOr<Value> result = node.create<graph::DivOp>({input, *power});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

void registerNormalizationImporters(OpImporterRegistry &registry) {
  registry["BatchNormalization"] = importBatchNorm;
  registry["Softmax"] = importSoftmax<graph::SoftmaxOp>;
  registry["LogSoftmax"] = importSoftmax<graph::LogSoftmaxOp>;
  registry["LayerNormalization"] = importLayerNorm;
  registry["InstanceNormalization"] = importInstanceNorm;
  registry["MeanVarianceNormalization"] = importMeanVarianceNorm;
  registry["LRN"] = importLRN;
}

} // namespace tessera::onnx
