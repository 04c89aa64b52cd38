//===- GraphFolds.cpp - Graph dialect folders and canonicalizations -------===//
//
// Folders remove no-op ops (x + 0, identity transposes, same-shape
// reshapes) and evaluate elementwise ops on small inline constants.
// Canonicalization patterns merge chains of reshapes and transposes.
// Resource-backed weights are never folded: that would copy megabytes into
// uniqued attributes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace tessera::graph;

namespace {

/// True if `attr` is a splat constant equal to `value`.
bool isSplatOf(Attribute attr, double value) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elementType = splat.getElementType();
  if (isa<FloatType>(elementType))
    return splat.getSplatValue<APFloat>().convertToDouble() == value;
  if (isa<IntegerType>(elementType))
    return splat.getSplatValue<APInt>().getSExtValue() == (int64_t)value;
  return false;
}

/// Folds `x op identity` to `x` when the identity operand does not change
/// the result shape.
OpFoldResult foldRightIdentity(Value lhs, Attribute rhs, Type resultType,
                               double identity) {
  if (lhs.getType() == resultType && isSplatOf(rhs, identity))
    return lhs;
  return {};
}

} // namespace

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r =
          foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 0.0))
    return r;
  if (OpFoldResult r =
          foldRightIdentity(getRhs(), adaptor.getLhs(), getType(), 0.0))
    return r;
  if (isa<FloatType>(getType().getElementType()))
    return constFoldBinaryOp<FloatAttr, APFloat, void>(
        adaptor.getOperands(),
        [](const APFloat &a, const APFloat &b) { return a + b; });
  return constFoldBinaryOp<IntegerAttr, APInt, void>(
      adaptor.getOperands(),
      [](const APInt &a, const APInt &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r =
          foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 0.0))
    return r;
  if (isa<FloatType>(getType().getElementType()))
    return constFoldBinaryOp<FloatAttr, APFloat, void>(
        adaptor.getOperands(),
        [](const APFloat &a, const APFloat &b) { return a - b; });
  return constFoldBinaryOp<IntegerAttr, APInt, void>(
      adaptor.getOperands(),
      [](const APInt &a, const APInt &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r =
          foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return r;
  if (OpFoldResult r =
          foldRightIdentity(getRhs(), adaptor.getLhs(), getType(), 1.0))
    return r;
  if (isa<FloatType>(getType().getElementType()))
    return constFoldBinaryOp<FloatAttr, APFloat, void>(
        adaptor.getOperands(),
        [](const APFloat &a, const APFloat &b) { return a * b; });
  return constFoldBinaryOp<IntegerAttr, APInt, void>(
      adaptor.getOperands(),
      [](const APInt &a, const APInt &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r =
          foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return r;
  Type elementType = getType().getElementType();
  if (isa<FloatType>(elementType))
    return constFoldBinaryOp<FloatAttr, APFloat, void>(
        adaptor.getOperands(),
        [](const APFloat &a, const APFloat &b) { return a / b; });
  // Integer division truncates toward zero (ONNX and arith agree); division
  // by zero is undefined, so it is left to run time.
  if (isSplatOf(adaptor.getRhs(), 0.0))
    return {};
  if (auto rhs = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getRhs()))
    if (llvm::any_of(rhs.getValues<APInt>(),
                     [](const APInt &v) { return v.isZero(); }))
      return {};
  bool isUnsigned = elementType.isUnsignedInteger();
  return constFoldBinaryOp<IntegerAttr, APInt, void>(
      adaptor.getOperands(), [&](const APInt &a, const APInt &b) {
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (isa<FloatType>(getType().getElementType()))
    return constFoldUnaryOp<FloatAttr, APFloat, void>(adaptor.getOperands(),
                                       [](const APFloat &a) { return -a; });
  return constFoldUnaryOp<IntegerAttr, APInt, void>(adaptor.getOperands(),
                                       [](const APInt &a) { return -a; });
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ClipOp::fold(FoldAdaptor) {
  if (!getMin() && !getMax() && !getLower() && !getUpper())
    return getInput();
  return {};
}

/// Reshapes an inline constant; resource blobs are left alone.
static OpFoldResult reshapeConstant(Attribute input, ShapedType resultType) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(input);
  if (!dense || !resultType.hasStaticShape())
    return {};
  return dense.reshape(resultType);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return reshapeConstant(adaptor.getInput(), getType());
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return reshapeConstant(adaptor.getInput(), getType());
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if ((int64_t)i != p)
      return {};
  return getInput();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  // Small constants (shape computations) concatenate at compile time.
  constexpr int64_t kMaxFoldedElements = 1024;
  auto type = cast<RankedTensorType>(getType());
  if (!type.hasStaticShape() || type.getNumElements() > kMaxFoldedElements)
    return {};
  SmallVector<DenseElementsAttr> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
    if (!dense)
      return {};
    inputs.push_back(dense);
  }
  int64_t axis = getAxis() < 0 ? getAxis() + type.getRank() : getAxis();
  // Outer blocks (dims before the axis) interleave each input's slab.
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= type.getDimSize(d);
  SmallVector<Attribute> elements;
  elements.reserve(type.getNumElements());
  SmallVector<SmallVector<Attribute>> values;
  for (DenseElementsAttr input : inputs)
    values.emplace_back(input.getValues<Attribute>());
  for (int64_t o = 0; o < outer; ++o)
    for (auto [input, inputValues] : llvm::zip(inputs, values)) {
      int64_t slab = input.getNumElements() / std::max<int64_t>(outer, 1);
      for (int64_t i = 0; i < slab; ++i)
        elements.push_back(inputValues[o * slab + i]);
    }
  return DenseElementsAttr::get(type, elements);
}

namespace {

/// reshape(reshape(x)) -> reshape(x): only the final shape matters.
struct MergeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<ReshapeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    if (!op.getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result shape is not static");
    // The merged shape is fully static, so it is spelled literally: a zero
    // dimension must stay zero rather than copy an input dimension.
    ArrayRef<int64_t> shape = op.getType().getShape();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(),
                                           producer.getInput(), shape,
                                           llvm::is_contained(shape, 0));
    return success();
  }
};

/// dynamic_reshape(x, constant) -> reshape(x) when the constant denotes the
/// result shape.
struct DynamicReshapeOfConstant : OpRewritePattern<DynamicReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DynamicReshapeOp op,
                                PatternRewriter &rewriter) const override {
    DenseIntElementsAttr shape;
    if (!matchPattern(op.getShape(), m_Constant(&shape)))
      return rewriter.notifyMatchFailure(op, "shape is not a constant");
    RankedTensorType in = op.getInput().getType(), out = op.getType();
    if (!in.hasStaticShape() || !out.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "shapes are not static");
    SmallVector<int64_t> values;
    for (const APInt &v : shape.getValues<APInt>())
      values.push_back(v.getSExtValue());
    if (!reshapeMatches(in.getShape(), values, op.getAllowzero(),
                        out.getShape()))
      return rewriter.notifyMatchFailure(op, "shape disagrees with result");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, out, op.getInput(), values,
                                           op.getAllowzero());
    return success();
  }
};

/// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2).
struct MergeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> perm;
    for (int64_t p : op.getPerm())
      perm.push_back(producer.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(),
                                             producer.getInput(), perm);
    return success();
  }
};

} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<MergeReshapes>(context);
}

void DynamicReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                                   MLIRContext *context) {
  patterns.add<DynamicReshapeOfConstant>(context);
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<MergeTransposes>(context);
}
