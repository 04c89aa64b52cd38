//===- GraphOps.cpp - Graph dialect operations ----------------------------===//
//
// Result-type inference and verifiers of the Graph dialect's operations.
// Folders and canonicalization patterns live in GraphFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace tessera::graph;

namespace {

RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Shared inference for the broadcasting binary ops: the result has the
/// broadcast shape and `resultElement` (by default the operands' element
/// type, which must then agree).
LogicalResult inferBroadcastBinary(std::optional<Location> loc, Value lhs,
                                   Value rhs, SmallVectorImpl<Type> &inferred,
                                   Type resultElement = {}) {
  RankedTensorType l = rankedType(lhs), r = rankedType(rhs);
  if (!resultElement && l.getElementType() != r.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             l.getElementType(), " vs ", r.getElementType());
  auto shape = broadcastShapes(l.getShape(), r.getShape());
  if (!shape)
    return emitOptionalError(loc, "operand shapes ", shapeString(l.getShape()),
                             " and ", shapeString(r.getShape()),
                             " are not broadcastable");
  inferred.push_back(RankedTensorType::get(
      *shape, resultElement ? resultElement : l.getElementType()));
  return success();
}

bool isI1(Type type) { return type.isSignlessInteger(1); }

/// Checks that a per-spatial-dimension attribute has `spatialRank` entries
/// (`2 * spatialRank` for pads) with values of at least `minValue`.
LogicalResult checkWindowAttr(std::optional<Location> loc, StringRef name,
                              ArrayRef<int64_t> values, size_t expected,
                              int64_t minValue) {
  if (values.size() != expected)
    return emitOptionalError(loc, "'", name, "' needs ", expected,
                             " values, got ", values.size());
  for (int64_t v : values)
    if (v < minValue)
      return emitOptionalError(loc, "'", name, "' values must be >= ",
                               minValue, ", got ", v);
  return success();
}

/// Output spatial sizes of a sliding-window op (conv or pool).
FailureOr<SmallVector<int64_t>>
inferWindowOutput(std::optional<Location> loc, ArrayRef<int64_t> inShape,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                  bool ceilMode) {
  size_t spatial = kernel.size();
  if (failed(checkWindowAttr(loc, "strides", strides, spatial, 1)) ||
      failed(checkWindowAttr(loc, "pads", pads, 2 * spatial, 0)) ||
      failed(checkWindowAttr(loc, "dilations", dilations, spatial, 1)))
    return failure();
  SmallVector<int64_t> out;
  for (size_t i = 0; i < spatial; ++i) {
    auto size = slidingWindowOutputSize(inShape[2 + i], kernel[i], strides[i],
                                        pads[i], pads[spatial + i],
                                        dilations[i], ceilMode);
    if (!size) {
      (void)emitOptionalError(loc, "window of size ", kernel[i],
                              " (dilation ", dilations[i],
                              ") does not fit spatial dimension ", i,
                              " of size ", inShape[2 + i], " with pads ",
                              pads[i], "+", pads[spatial + i]);
      return failure();
    }
    out.push_back(*size);
  }
  return out;
}

LogicalResult inferPool(std::optional<Location> loc, Value input,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                        bool ceilMode, SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = rankedType(input);
  if (type.getRank() < 3 || (size_t)type.getRank() != kernel.size() + 2)
    return emitOptionalError(loc, "expects an N x C x spatial input with ",
                             kernel.size(), " spatial dimensions, got rank ",
                             type.getRank());
  if (failed(checkWindowAttr(loc, "kernel_shape", kernel, kernel.size(), 1)))
    return failure();
  auto spatial = inferWindowOutput(loc, type.getShape(), kernel, strides, pads,
                                   dilations, ceilMode);
  if (failed(spatial))
    return failure();
  SmallVector<int64_t> shape = {type.getDimSize(0), type.getDimSize(1)};
  llvm::append_range(shape, *spatial);
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

} // namespace

#define TG_COMPATIBLE_RESULTS(OP)                                              \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return areCompatibleResultTypes(l, r);                                     \
  }
TG_COMPATIBLE_RESULTS(AddOp)
TG_COMPATIBLE_RESULTS(SubOp)
TG_COMPATIBLE_RESULTS(MulOp)
TG_COMPATIBLE_RESULTS(DivOp)
TG_COMPATIBLE_RESULTS(MinOp)
TG_COMPATIBLE_RESULTS(MaxOp)
TG_COMPATIBLE_RESULTS(PReluOp)
TG_COMPATIBLE_RESULTS(ModOp)
TG_COMPATIBLE_RESULTS(PowOp)
TG_COMPATIBLE_RESULTS(EqualOp)
TG_COMPATIBLE_RESULTS(LessOp)
TG_COMPATIBLE_RESULTS(LessEqualOp)
TG_COMPATIBLE_RESULTS(GreaterOp)
TG_COMPATIBLE_RESULTS(GreaterEqualOp)
TG_COMPATIBLE_RESULTS(AndOp)
TG_COMPATIBLE_RESULTS(OrOp)
TG_COMPATIBLE_RESULTS(XorOp)
TG_COMPATIBLE_RESULTS(WhereOp)
TG_COMPATIBLE_RESULTS(ExpandOp)
TG_COMPATIBLE_RESULTS(TileOp)
TG_COMPATIBLE_RESULTS(SliceOp)
TG_COMPATIBLE_RESULTS(GatherOp)
TG_COMPATIBLE_RESULTS(PadOp)
TG_COMPATIBLE_RESULTS(ConvOp)
TG_COMPATIBLE_RESULTS(MatMulOp)
TG_COMPATIBLE_RESULTS(GemmOp)
TG_COMPATIBLE_RESULTS(MaxPoolOp)
TG_COMPATIBLE_RESULTS(AveragePoolOp)
TG_COMPATIBLE_RESULTS(GlobalAveragePoolOp)
TG_COMPATIBLE_RESULTS(BatchNormOp)
TG_COMPATIBLE_RESULTS(ReshapeOp)
TG_COMPATIBLE_RESULTS(FlattenOp)
TG_COMPATIBLE_RESULTS(TransposeOp)
TG_COMPATIBLE_RESULTS(ConcatOp)
TG_COMPATIBLE_RESULTS(IsNaNOp)
TG_COMPATIBLE_RESULTS(IsInfOp)
#undef TG_COMPATIBLE_RESULTS

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

#define TG_INFER_BINARY(OP, RESULT_ELEMENT)                                    \
  LogicalResult OP::inferReturnTypes(MLIRContext *ctx,                         \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    (void)ctx;                                                                 \
    return inferBroadcastBinary(loc, adaptor.getLhs(), adaptor.getRhs(),       \
                                inferred, RESULT_ELEMENT);                     \
  }
#define TG_DEFINE_BINARY(OP)                                                   \
  TG_INFER_BINARY(OP, Type())                                                  \
  LogicalResult OP::verify() {                                                 \
    if (!getType().getElementType().isIntOrFloat() ||                          \
        isI1(getType().getElementType()))                                      \
      return emitOpError("expects integer or floating-point elements");       \
    return success();                                                          \
  }
TG_DEFINE_BINARY(AddOp)
TG_DEFINE_BINARY(SubOp)
TG_DEFINE_BINARY(MulOp)
TG_DEFINE_BINARY(DivOp)
TG_DEFINE_BINARY(MinOp)
TG_DEFINE_BINARY(MaxOp)
#undef TG_DEFINE_BINARY

TG_INFER_BINARY(PReluOp, Type())
LogicalResult PReluOp::verify() {
  if (!isa<FloatType>(getType().getElementType()) &&
      !getType().getElementType().isSignedInteger() &&
      !getType().getElementType().isSignlessInteger())
    return emitOpError("expects floating-point or signed integer elements");
  if (failed(verifyCompatibleShape(getType(), getLhs().getType())))
    return emitOpError("slope of shape ")
           << shapeString(getRhs().getType().getShape())
           << " does not broadcast to the input's shape "
           << shapeString(getLhs().getType().getShape());
  return success();
}

TG_INFER_BINARY(ModOp, Type())
LogicalResult ModOp::verify() {
  Type element = getType().getElementType();
  if (!element.isIntOrFloat() || isI1(element))
    return emitOpError("expects integer or floating-point elements");
  if (isa<FloatType>(element) && !getFmod())
    return emitOpError("floating-point elements need fmod = true");
  return success();
}

LogicalResult PowOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  return inferBroadcastBinary(loc, adaptor.getLhs(), adaptor.getRhs(),
                              inferred,
                              rankedType(adaptor.getLhs()).getElementType());
}
LogicalResult PowOp::verify() {
  for (Type t : {getLhs().getType().getElementType(),
                 getRhs().getType().getElementType()})
    if (!t.isIntOrFloat() || isI1(t))
      return emitOpError("expects integer or floating-point elements, got ")
             << t;
  return success();
}

#define TG_DEFINE_COMPARE(OP)                                                  \
  TG_INFER_BINARY(OP, IntegerType::get(ctx, 1))
TG_DEFINE_COMPARE(EqualOp)
TG_DEFINE_COMPARE(LessOp)
TG_DEFINE_COMPARE(LessEqualOp)
TG_DEFINE_COMPARE(GreaterOp)
TG_DEFINE_COMPARE(GreaterEqualOp)
#undef TG_DEFINE_COMPARE

#define TG_DEFINE_LOGICAL(OP)                                                  \
  TG_INFER_BINARY(OP, Type())                                                  \
  LogicalResult OP::verify() {                                                 \
    if (!isI1(getType().getElementType()))                                     \
      return emitOpError("expects i1 elements");                              \
    return success();                                                          \
  }
TG_DEFINE_LOGICAL(AndOp)
TG_DEFINE_LOGICAL(OrOp)
TG_DEFINE_LOGICAL(XorOp)
#undef TG_DEFINE_LOGICAL
#undef TG_INFER_BINARY

LogicalResult NotOp::verify() {
  if (!isI1(getType().getElementType()))
    return emitOpError("expects i1 elements");
  return success();
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  RankedTensorType c = rankedType(adaptor.getCondition()),
                   x = rankedType(adaptor.getX()),
                   y = rankedType(adaptor.getY());
  if (!isI1(c.getElementType()))
    return emitOptionalError(loc, "condition must have i1 elements, got ",
                             c.getElementType());
  if (x.getElementType() != y.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             x.getElementType(), " vs ", y.getElementType());
  auto shape = broadcastShapes(c.getShape(), x.getShape());
  if (shape)
    shape = broadcastShapes(*shape, y.getShape());
  if (!shape)
    return emitOptionalError(loc, "operand shapes ", shapeString(c.getShape()),
                             ", ", shapeString(x.getShape()), " and ",
                             shapeString(y.getShape()),
                             " are not broadcastable");
  inferred.push_back(RankedTensorType::get(*shape, x.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise math
//===----------------------------------------------------------------------===//

#define TG_FLOAT_UNARY(OP)                                                     \
  LogicalResult OP::verify() {                                                 \
    if (!isa<FloatType>(getType().getElementType()))                           \
      return emitOpError("expects floating-point elements");                  \
    return success();                                                          \
  }
TG_FLOAT_UNARY(ExpOp)
TG_FLOAT_UNARY(LogOp)
TG_FLOAT_UNARY(SqrtOp)
TG_FLOAT_UNARY(ReciprocalOp)
TG_FLOAT_UNARY(ErfOp)
TG_FLOAT_UNARY(SinOp)
TG_FLOAT_UNARY(CosOp)
TG_FLOAT_UNARY(TanOp)
TG_FLOAT_UNARY(AsinOp)
TG_FLOAT_UNARY(AcosOp)
TG_FLOAT_UNARY(AtanOp)
TG_FLOAT_UNARY(SinhOp)
TG_FLOAT_UNARY(CoshOp)
TG_FLOAT_UNARY(AsinhOp)
TG_FLOAT_UNARY(AcoshOp)
TG_FLOAT_UNARY(AtanhOp)
TG_FLOAT_UNARY(FloorOp)
TG_FLOAT_UNARY(CeilOp)
TG_FLOAT_UNARY(RoundOp)
TG_FLOAT_UNARY(SoftplusOp)
TG_FLOAT_UNARY(SoftsignOp)
TG_FLOAT_UNARY(HardSwishOp)
TG_FLOAT_UNARY(EluOp)
TG_FLOAT_UNARY(SeluOp)
TG_FLOAT_UNARY(CeluOp)
TG_FLOAT_UNARY(HardSigmoidOp)
TG_FLOAT_UNARY(ThresholdedReluOp)
TG_FLOAT_UNARY(ShrinkOp)
#undef TG_FLOAT_UNARY

/// IsNaN and IsInf: float elements in, i1 out, same shape.
static LogicalResult inferFloatTest(std::optional<Location> loc, Value input,
                                    SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = rankedType(input);
  if (!isa<FloatType>(type.getElementType()))
    return emitOptionalError(loc, "expects floating-point elements, got ",
                             type.getElementType());
  inferred.push_back(type.clone(IntegerType::get(type.getContext(), 1)));
  return success();
}

LogicalResult IsNaNOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  return inferFloatTest(loc, adaptor.getInput(), inferred);
}

LogicalResult IsInfOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  return inferFloatTest(loc, adaptor.getInput(), inferred);
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

LogicalResult CastOp::verify() {
  RankedTensorType in = getInput().getType(), out = getType();
  if (failed(verifyCompatibleShape(in, out)))
    return emitOpError("result shape ")
           << shapeString(out.getShape()) << " differs from the input shape "
           << shapeString(in.getShape());
  for (Type t : {in.getElementType(), out.getElementType()})
    if (!t.isIntOrFloat())
      return emitOpError("expects integer or floating-point elements, got ")
             << t;
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput());
  RankedTensorType w = rankedType(adaptor.getWeight());
  if (in.getRank() < 3)
    return emitOptionalError(loc, "expects an N x C x spatial input, got rank ",
                             in.getRank());
  if (w.getRank() != in.getRank())
    return emitOptionalError(loc, "weight rank ", w.getRank(),
                             " differs from input rank ", in.getRank());
  if (in.getElementType() != w.getElementType())
    return emitOptionalError(loc, "input and weight element types differ");
  int64_t group = adaptor.getGroup();
  if (group < 1)
    return emitOptionalError(loc, "'group' must be >= 1, got ", group);
  int64_t channels = in.getDimSize(1), outChannels = w.getDimSize(0);
  if (!ShapedType::isDynamic(channels) && !w.isDynamicDim(1) &&
      (w.getDimSize(1) > channels / group ||
       channels != w.getDimSize(1) * group))
    return emitOptionalError(loc, "input has ", channels,
                             " channels but weight expects ", w.getDimSize(1),
                             " x group ", group);
  if (!ShapedType::isDynamic(outChannels) && outChannels % group != 0)
    return emitOptionalError(loc, "output channels ", outChannels,
                             " are not divisible by group ", group);
  if (Value bias = adaptor.getBias()) {
    RankedTensorType b = rankedType(bias);
    if (b.getRank() != 1 || (!b.isDynamicDim(0) &&
                             !ShapedType::isDynamic(outChannels) &&
                             b.getDimSize(0) != outChannels))
      return emitOptionalError(loc, "bias must be 1-D of size ",
                               shapeString(outChannels), ", got ",
                               shapeString(b.getShape()));
    if (b.getElementType() != in.getElementType())
      return emitOptionalError(loc, "bias element type ", b.getElementType(),
                               " differs from input element type ",
                               in.getElementType());
  }
  if (w.getShape().drop_front(2).size() != (size_t)in.getRank() - 2)
    return failure();
  SmallVector<int64_t> kernel(w.getShape().drop_front(2));
  if (llvm::any_of(kernel, ShapedType::isDynamic))
    return emitOptionalError(loc, "kernel sizes must be static");
  auto spatial =
      inferWindowOutput(loc, in.getShape(), kernel, adaptor.getStrides(),
                        adaptor.getPads(), adaptor.getDilations(), false);
  if (failed(spatial))
    return failure();
  SmallVector<int64_t> shape = {in.getDimSize(0), outChannels};
  llvm::append_range(shape, *spatial);
  inferred.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  RankedTensorType a = rankedType(adaptor.getLhs());
  RankedTensorType b = rankedType(adaptor.getRhs());
  if (a.getRank() < 1 || b.getRank() < 1)
    return emitOptionalError(loc, "operands must have rank >= 1");
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "operand element types differ");
  SmallVector<int64_t> as(a.getShape()), bs(b.getShape());
  bool vecA = as.size() == 1, vecB = bs.size() == 1;
  if (vecA)
    as.insert(as.begin(), 1);
  if (vecB)
    bs.push_back(1);
  int64_t k1 = as.back(), k2 = bs[bs.size() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOptionalError(loc, "contracting dimensions differ: ",
                             shapeString(a.getShape()), " x ",
                             shapeString(b.getShape()));
  auto batch = broadcastShapes(ArrayRef(as).drop_back(2),
                               ArrayRef(bs).drop_back(2));
  if (!batch)
    return emitOptionalError(loc, "batch dimensions of ",
                             shapeString(a.getShape()), " and ",
                             shapeString(b.getShape()),
                             " are not broadcastable");
  SmallVector<int64_t> shape = *batch;
  if (!vecA)
    shape.push_back(as[as.size() - 2]);
  if (!vecB)
    shape.push_back(bs.back());
  inferred.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  RankedTensorType a = rankedType(adaptor.getA());
  RankedTensorType b = rankedType(adaptor.getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOptionalError(loc, "A and B must be 2-D");
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "operand element types differ");
  bool ta = adaptor.getTransA(), tb = adaptor.getTransB();
  int64_t m = a.getDimSize(ta ? 1 : 0), k1 = a.getDimSize(ta ? 0 : 1);
  int64_t k2 = b.getDimSize(tb ? 1 : 0), n = b.getDimSize(tb ? 0 : 1);
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOptionalError(loc, "contracting dimensions differ: ", k1,
                             " vs ", k2);
  if (Value c = adaptor.getC()) {
    RankedTensorType ct = rankedType(c);
    if (ct.getElementType() != a.getElementType())
      return emitOptionalError(loc, "C element type ", ct.getElementType(),
                               " differs from ", a.getElementType());
    // Unidirectional broadcast: each dimension of C is 1 or the matching
    // dimension of the result; a dynamic size on either side may match.
    int64_t target[2] = {m, n};
    auto fits = [&](int64_t cDim, int64_t t) {
      return cDim == 1 || ShapedType::isDynamic(cDim) ||
             ShapedType::isDynamic(t) || cDim == t;
    };
    bool ok = ct.getRank() <= 2;
    for (int64_t i = 0; ok && i < ct.getRank(); ++i)
      ok = fits(ct.getDimSize(i), target[2 - ct.getRank() + i]);
    if (!ok)
      return emitOptionalError(loc, "C of shape ", shapeString(ct.getShape()),
                               " does not broadcast to ", shapeString(target));
  }
  inferred.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling and normalization
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                   adaptor.getStrides(), adaptor.getPads(),
                   adaptor.getDilations(), adaptor.getCeilMode(), inferred);
}

LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &inferred) {
  return inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                   adaptor.getStrides(), adaptor.getPads(),
                   adaptor.getDilations(), adaptor.getCeilMode(), inferred);
}

LogicalResult GlobalAveragePoolOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = rankedType(adaptor.getInput());
  if (type.getRank() < 3)
    return emitOptionalError(loc, "expects an N x C x spatial input, got rank ",
                             type.getRank());
  SmallVector<int64_t> shape(type.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = rankedType(adaptor.getInput());
  if (type.getRank() < 2)
    return emitOptionalError(loc, "expects an N x C x ... input, got rank ",
                             type.getRank());
  inferred.push_back(type);
  return success();
}

LogicalResult BatchNormOp::verify() {
  // Runs before the inferred-type check, so the rank is not yet known to be
  // valid here.
  RankedTensorType inputType = getInput().getType();
  if (inputType.getRank() < 2)
    return emitOpError("expects an N x C x ... input, got rank ")
           << inputType.getRank();
  int64_t channels = inputType.getDimSize(1);
  for (Value v : {getScale(), getBias(), getMean(), getVariance()}) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != 1)
      return emitOpError("expects 1-D per-channel parameters, got rank ")
             << t.getRank();
    if (!t.isDynamicDim(0) && !ShapedType::isDynamic(channels) &&
        t.getDimSize(0) != channels)
      return emitOpError("expects ")
             << channels << " per-channel values, got " << t.getDimSize(0);
  }
  return success();
}

LogicalResult ClipOp::verify() {
  Type elementType = getType().getElementType();
  for (auto [name, bound, attr] :
       {std::tuple<StringRef, Value, Attribute>("lower", getLower(),
                                                getMinAttr()),
        std::tuple<StringRef, Value, Attribute>("upper", getUpper(),
                                                getMaxAttr())}) {
    if (!bound)
      continue;
    if (attr)
      return emitOpError("has both an '")
             << name << "' operand and the matching attribute";
    auto type = cast<RankedTensorType>(bound.getType());
    if (type.getRank() != 0 || type.getElementType() != elementType)
      return emitOpError("'")
             << name << "' must be a rank-0 tensor of " << elementType
             << ", got " << type;
  }
  return success();
}

static LogicalResult verifySoftmaxAxis(Operation *op, int64_t axis,
                                       RankedTensorType type) {
  if (!normalizeAxis(axis, type.getRank()))
    return op->emitOpError("axis ")
           << axis << " is out of range for rank " << type.getRank();
  if (!isa<FloatType>(type.getElementType()))
    return op->emitOpError("expects floating-point elements");
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, getAxis(), getType());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, getAxis(), getType());
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = rankedType(adaptor.getInput());
  ArrayRef<int64_t> requested = adaptor.getShape();
  bool allowZero = adaptor.getAllowzero();
  SmallVector<int64_t> shape;
  int64_t inferIndex = -1, known = 1;
  bool knownDynamic = false;
  for (auto [i, requestedDim] : llvm::enumerate(requested)) {
    int64_t d = requestedDim;
    if (d == -1) {
      if (inferIndex >= 0)
        return emitOptionalError(loc, "shape has more than one -1");
      inferIndex = i;
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    if (d < -1)
      return emitOptionalError(loc, "shape has invalid dimension ", d);
    if (d == 0 && !allowZero) {
      if ((int64_t)i >= type.getRank())
        return emitOptionalError(loc, "shape copies dimension ", i,
                                 " (0) but the input has rank ",
                                 type.getRank());
      d = type.getDimSize(i);
    }
    shape.push_back(d);
    if (ShapedType::isDynamic(d))
      knownDynamic = true;
    else if (llvm::MulOverflow(known, d, known))
      return emitOptionalError(loc, "shape ", shapeString(requested),
                               " has more elements than int64 can count");
  }
  if (type.hasStaticShape() && !knownDynamic) {
    int64_t total = type.getNumElements();
    if (inferIndex >= 0) {
      if (known == 0 || total % known != 0)
        return emitOptionalError(loc, "cannot reshape ",
                                 shapeString(type.getShape()), " to ",
                                 shapeString(requested));
      shape[inferIndex] = total / known;
    } else if (known != total) {
      return emitOptionalError(loc, "cannot reshape ",
                               shapeString(type.getShape()), " (", total,
                               " elements) to ", shapeString(shape), " (",
                               known, " elements)");
    }
  }
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult DynamicReshapeOp::verify() {
  RankedTensorType in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType())
    return emitOpError("result element type ")
           << out.getElementType() << " differs from the input's "
           << in.getElementType();
  RankedTensorType shapeType = getShape().getType();
  if (shapeType.getRank() != 1 ||
      !shapeType.getElementType().isSignlessInteger(64))
    return emitOpError("expects a 1-D i64 shape, got ") << shapeType;
  if (!shapeType.isDynamicDim(0) && shapeType.getDimSize(0) != out.getRank())
    return emitOpError("shape has ")
           << shapeType.getDimSize(0) << " elements but the result has rank "
           << out.getRank();
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << shapeString(in.getShape()) << " (" << in.getNumElements()
           << " elements) to " << shapeString(out.getShape()) << " ("
           << out.getNumElements() << " elements)";
  return success();
}

LogicalResult DynamicSliceOp::verify() {
  RankedTensorType in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType())
    return emitOpError("result element type ")
           << out.getElementType() << " differs from the input's "
           << in.getElementType();
  if (in.getRank() != out.getRank())
    return emitOpError("result rank ")
           << out.getRank() << " differs from the input rank " << in.getRank();
  if (!in.hasStaticShape() || !out.hasStaticShape())
    return emitOpError("expects static input and result shapes");
  std::optional<int64_t> length;
  for (Value operand : {getStarts(), getEnds(), getAxes(), getSteps()}) {
    if (!operand)
      continue;
    auto type = cast<RankedTensorType>(operand.getType());
    if (type.getRank() != 1 || type.isDynamicDim(0) ||
        !type.getElementType().isSignlessInteger())
      return emitOpError("expects 1-D integer starts/ends/axes/steps of "
                         "static length, got ")
             << type;
    if (length && *length != type.getDimSize(0))
      return emitOpError("starts/ends/axes/steps differ in length");
    length = type.getDimSize(0);
  }
  if (*length > in.getRank())
    return emitOpError("has ") << *length << " slice entries for rank "
                               << in.getRank();
  return success();
}

LogicalResult DynamicPadOp::verify() {
  RankedTensorType in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType() || in.getRank() != out.getRank())
    return emitOpError("result ") << out << " must have the input's rank and "
                                  << "element type (" << in << ")";
  if (!in.hasStaticShape() || !out.hasStaticShape())
    return emitOpError("expects static input and result shapes");
  RankedTensorType padsType = getPads().getType();
  if (padsType.getRank() != 1 || padsType.isDynamicDim(0) ||
      !padsType.getElementType().isSignlessInteger() ||
      padsType.getDimSize(0) != 2 * in.getRank())
    return emitOpError("expects 1-D integer pads of length ")
           << 2 * in.getRank() << ", got " << padsType;
  if (getValue()) {
    auto valueType = cast<RankedTensorType>(getValue().getType());
    if (valueType.getElementType() != in.getElementType() ||
        !valueType.hasStaticShape() || valueType.getNumElements() != 1)
      return emitOpError("expects a one-element value of the input's element "
                         "type, got ")
             << valueType;
  }
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOpError("unknown mode '")
           << mode << "' (expected constant, reflect or edge)";
  return success();
}

LogicalResult ShapeCheckOp::verify() {
  RankedTensorType operandType = getOperand().getType();
  if (operandType.getRank() != 1 || operandType.isDynamicDim(0) ||
      !operandType.getElementType().isSignlessInteger())
    return emitOpError("expects a 1-D integer operand of static length, got ")
           << operandType;
  int64_t length = operandType.getDimSize(0);
  int64_t inRank = getInputShape().size(), outRank = getResultShape().size();
  for (ArrayRef<int64_t> shape : {getInputShape(), getResultShape()})
    if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
      return emitOpError("expects static, non-negative shapes");
  StringRef kind = getKind();
  auto lengthError = [&](StringRef expected) {
    return emitOpError("'") << kind << "' expects " << expected
                            << ", got an operand of " << length
                            << " elements, input rank " << inRank
                            << " and result rank " << outRank;
  };
  if (kind == "equals")
    return length == outRank ? success()
                             : lengthError("one element per result dim");
  if (kind == "tile")
    return length == outRank && inRank == outRank
               ? success()
               : lengthError("equal ranks and one element per dim");
  if (kind == "expand")
    return length <= outRank && inRank <= outRank
               ? success()
               : lengthError("a result rank of max(input rank, length)");
  if (kind == "unsqueeze")
    return outRank == inRank + length
               ? success()
               : lengthError("result rank = input rank + length");
  if (kind == "squeeze")
    return outRank == inRank - length
               ? success()
               : lengthError("result rank = input rank - length");
  return emitOpError("unknown kind '")
         << kind << "' (expected equals, tile, expand, unsqueeze or squeeze)";
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = rankedType(adaptor.getInput());
  int64_t rank = type.getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < -rank || axis > rank)
    return emitOptionalError(loc, "axis ", axis,
                             " is out of range for rank ", rank);
  if (axis < 0)
    axis += rank;
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t p = 1;
    for (int64_t d : dims) {
      if (ShapedType::isDynamic(d))
        return ShapedType::kDynamic;
      p *= d;
    }
    return p;
  };
  inferred.push_back(RankedTensorType::get(
      {product(type.getShape().take_front(axis)),
       product(type.getShape().drop_front(axis))},
      type.getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = rankedType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if ((int64_t)perm.size() != type.getRank())
    return emitOptionalError(loc, "perm has ", perm.size(),
                             " entries for rank ", type.getRank());
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= type.getRank() || seen[p])
      return emitOptionalError(loc, "perm is not a permutation");
    seen[p] = true;
    shape.push_back(type.getDimSize(p));
  }
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "expects at least one input");
  RankedTensorType first = rankedType(inputs.front());
  auto axis = normalizeAxis(adaptor.getAxis(), first.getRank());
  if (!axis)
    return emitOptionalError(loc, "axis ", adaptor.getAxis(),
                             " is out of range for rank ", first.getRank());
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : inputs.drop_front()) {
    RankedTensorType t = rankedType(v);
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return emitOptionalError(loc, "inputs differ in rank or element type");
    for (int64_t i = 0; i < t.getRank(); ++i) {
      if (i == *axis) {
        shape[i] = ShapedType::isDynamic(shape[i]) || t.isDynamicDim(i)
                       ? ShapedType::kDynamic
                       : shape[i] + t.getDimSize(i);
      } else if (!t.isDynamicDim(i) && !ShapedType::isDynamic(shape[i]) &&
                 t.getDimSize(i) != shape[i]) {
        return emitOptionalError(loc, "inputs differ in dimension ", i,
                                 " (", shape[i], " vs ", t.getDimSize(i),
                                 ")");
      }
    }
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Expand, Tile, Slice
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> shape = adaptor.getShape();
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return emitOptionalError(loc, "'shape' values must be >= 0, got ",
                             shapeString(shape));
  auto result = broadcastShapes(in.getShape(), shape);
  if (!result)
    return emitOptionalError(loc, "input shape ", shapeString(in.getShape()),
                             " does not broadcast to ", shapeString(shape));
  inferred.push_back(in.clone(*result));
  return success();
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> repeats = adaptor.getRepeats();
  if ((int64_t)repeats.size() != in.getRank())
    return emitOptionalError(loc, "'repeats' needs ", in.getRank(),
                             " values, got ", repeats.size());
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(in.getShape(), repeats)) {
    if (r < 0)
      return emitOptionalError(loc, "'repeats' values must be >= 0, got ", r);
    int64_t size = d;
    if (!ShapedType::isDynamic(d) && llvm::MulOverflow(d, r, size))
      return emitOptionalError(loc, "dimension ", d, " repeated ", r,
                               " times overflows");
    shape.push_back(size);
  }
  inferred.push_back(in.clone(shape));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    steps = adaptor.getSteps();
  int64_t rank = in.getRank();
  if ((int64_t)starts.size() != rank || (int64_t)ends.size() != rank ||
      (int64_t)steps.size() != rank)
    return emitOptionalError(loc, "'starts', 'ends' and 'steps' need ", rank,
                             " values each");
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t dim = in.getDimSize(i), start = starts[i], end = ends[i],
            step = steps[i];
    if (ShapedType::isDynamic(dim))
      return emitOptionalError(loc, "dimension ", i, " must be static");
    if (step == 0)
      return emitOptionalError(loc, "'steps' values must not be 0");
    bool ok = step > 0 ? (0 <= start && start <= end && end <= dim)
                       : (-1 <= end && end <= start && start < dim);
    if (!ok)
      return emitOptionalError(loc, "dimension ", i, ": start ", start,
                               ", end ", end, " and step ", step,
                               " are not normalized for size ", dim);
    int64_t span = step > 0 ? end - start : start - end;
    int64_t absStep = step > 0 ? step : -step;
    shape.push_back((span + absStep - 1) / absStep);
  }
  inferred.push_back(in.clone(shape));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = rankedType(adaptor.getData()),
                   indices = rankedType(adaptor.getIndices());
  if (!isa<IntegerType>(indices.getElementType()) ||
      isI1(indices.getElementType()))
    return emitOptionalError(loc, "indices must be integers, got ",
                             indices.getElementType());
  std::optional<int64_t> axis =
      normalizeAxis(adaptor.getAxis(), data.getRank());
  if (!axis)
    return emitOptionalError(loc, "axis ", adaptor.getAxis(),
                             " is out of range for rank ", data.getRank());
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  inferred.push_back(data.clone(shape));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = rankedType(adaptor.getInput());
  ArrayRef<int64_t> pads = adaptor.getPads();
  int64_t rank = in.getRank();
  StringRef mode = adaptor.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOptionalError(loc, "unknown mode '", mode,
                             "' (expected constant, reflect or edge)");
  if ((int64_t)pads.size() != 2 * rank)
    return emitOptionalError(loc, "'pads' needs ", 2 * rank, " values, got ",
                             pads.size());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t lo = pads[i], hi = pads[rank + i], d = in.getDimSize(i);
    if (lo < 0 || hi < 0)
      return emitOptionalError(loc, "'pads' values must be >= 0");
    if (!ShapedType::isDynamic(d) && mode != "constant" &&
        (lo > 0 || hi > 0) &&
        (d == 0 || (mode == "reflect" && (lo >= d || hi >= d))))
      return emitOptionalError(loc, "pads ", lo, "+", hi,
                               " are too large for '", mode,
                               "' padding of dimension ", i, " of size ", d);
    int64_t size = d;
    if (!ShapedType::isDynamic(d) &&
        (llvm::AddOverflow(d, lo, size) || llvm::AddOverflow(size, hi, size)))
      return emitOptionalError(loc, "pads ", lo, "+", hi, " of dimension ", i,
                               " overflow");
    shape.push_back(size);
  }
  inferred.push_back(in.clone(shape));
  return success();
}
