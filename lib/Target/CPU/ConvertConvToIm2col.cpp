//===- ConvertConvToIm2col.cpp - Convolutions as matrix products ----------===//
//
// Rewrites linalg.conv_2d_nchw_fchw into a contraction whose contiguous
// dimension is OH*OW, the one that tessera-tile-and-vectorize vectorizes:
//   - a 1x1 convolution with unit strides already is a matrix product per
//     image, out[n, f, p] += W[f, c] * in[n, c, p] on collapsed shapes, so no
//     copy is made;
//   - any other one becomes an im2col copy plus the contraction (upstream
//     linalg::rewriteInIm2Col): the filter becomes an F x (C*KH*KW) matrix
//     and the input an (C*KH*KW) x (OH*OW) matrix per image.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/MulAddContraction.h"
#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_CONVERTCONVTOIM2COL
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Collapses the trailing two dimensions of a rank-4 tensor into one
/// (N x C x H x W -> N x C x H*W), or all trailing three of a filter
/// (F x C x 1 x 1 -> F x C) when `filter` is set.
Value collapseTrailing(RewriterBase &rewriter, Location loc, Value value,
                       bool filter) {
  SmallVector<ReassociationIndices> groups =
      filter ? SmallVector<ReassociationIndices>{{0}, {1, 2, 3}}
             : SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}};
  return tensor::CollapseShapeOp::create(rewriter, loc, value, groups);
}

/// Rewrites a static 1x1, unit-stride convolution as the contraction
/// out[n, f, p] += W[f, c] * in[n, c, p] on collapsed views.
LogicalResult rewriteUnitConvAsContraction(RewriterBase &rewriter,
                                           linalg::Conv2DNchwFchwOp conv) {
  auto filterType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto inputType = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto outType = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  // The contraction body is float multiply-add; integer convolutions and
  // mixed element types keep the im2col path.
  if (!filterType || !inputType || !outType ||
      !isa<FloatType>(outType.getElementType()) ||
      filterType.getElementType() != outType.getElementType() ||
      inputType.getElementType() != outType.getElementType() ||
      !filterType.hasStaticShape() || !inputType.hasStaticShape() ||
      !outType.hasStaticShape())
    return failure();
  if (filterType.getDimSize(2) != 1 || filterType.getDimSize(3) != 1 ||
      !llvm::all_of(conv.getStrides().getValues<int64_t>(),
                    [](int64_t s) { return s == 1; }) ||
      inputType.getDimSize(2) != outType.getDimSize(2) ||
      inputType.getDimSize(3) != outType.getDimSize(3))
    return failure();

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  Value input = collapseTrailing(rewriter, loc, conv.getInputs()[0], false);
  Value filter = collapseTrailing(rewriter, loc, conv.getInputs()[1], true);
  Value init = collapseTrailing(rewriter, loc, conv.getOutputs()[0], false);

  // (n, f, p, c): the same loop order as rewriteInIm2Col's contraction.
  SmallVector<AffineMap> maps =
      tessera::cpu::getConvContractionMaps(rewriter.getContext());
  auto contraction = tessera::cpu::createMulAddContraction(
      rewriter, loc, filter, input, init, maps);
  // Keep what the rewritten op carried (node name, a user's tile config).
  for (NamedAttribute attr : conv->getDiscardableAttrs())
    contraction->setAttr(attr.getName(), attr.getValue());
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, outType, contraction.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(conv, result);
  return success();
}

struct ConvertConvToIm2colPass
    : tessera::cpu::impl::ConvertConvToIm2colBase<ConvertConvToIm2colPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      if (conv.hasPureTensorSemantics())
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      if (succeeded(rewriteUnitConvAsContraction(rewriter, conv)))
        continue;
      rewriter.setInsertionPoint(conv);
      // Convolutions the rewrite does not handle (dynamic shapes) keep the
      // direct lowering.
      (void)linalg::rewriteInIm2Col(rewriter, conv);
    }
  }
};

} // namespace
