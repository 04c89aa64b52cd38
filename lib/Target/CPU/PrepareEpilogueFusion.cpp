//===- PrepareEpilogueFusion.cpp - Shape contractions for epilogue fusion -===//
//
// After tessera-convert-conv-to-im2col a convolution is a contraction on
// collapsed shapes (N x F x OH*OW) whose bias comes in through its init (a
// broadcast generic behind a tensor.collapse_shape) and whose activation or
// residual add is an elementwise generic behind a tensor.expand_shape. The
// reshapes stop tile-and-fuse, so this pass
//   1. collapses those elementwise producers and consumers onto the
//      contraction's shape (upstream reshape-by-collapsing patterns, limited
//      to reshapes next to a contraction), and
//   2. lets an elementwise consumer whose input is the contraction's result
//      update that result in place (it becomes the consumer's init), so that
//      after fusion the whole chain bias -> contraction -> epilogue writes
//      one buffer, the output tile.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/DepthwiseConv.h"
#include "lib/Target/CPU/EpilogueUtils.h"
#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_PREPAREEPILOGUEFUSION
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;
using namespace tessera::cpu;

namespace {

/// Collapse a reshape only where it separates a contraction from an
/// elementwise producer (its init) or consumer (its epilogue).
bool shouldCollapse(OpOperand *fused) {
  Operation *reshape = fused->get().getDefiningOp();
  Operation *user = fused->getOwner();
  if (auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(reshape))
    return isElementwiseLike(user) &&
           isContraction(expand.getSrc().getDefiningOp());
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(user))
    return isElementwiseLike(reshape) && !isDecomposedDepthwiseConv(reshape) &&
           llvm::any_of(collapse->getUsers(), isContraction);
  return false;
}

/// epilogue(ins(%c, ...) outs(%empty)) with %c a contraction's result read
/// through the identity map -> epilogue(ins(...) outs(%c)), reading the
/// value from the output block argument.
struct UpdateContractionInPlace : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isElementwiseLike(op))
      return rewriter.notifyMatchFailure(op, "not elementwise");
    OpOperand *init = op.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        op.payloadUsesValueFromOperand(init))
      return rewriter.notifyMatchFailure(op, "init is not an empty tensor");
    AffineMap outMap = op.getMatchingIndexingMap(init);
    OpOperand *source = nullptr;
    for (OpOperand *input : op.getDpsInputOperands())
      if (isContraction(input->get().getDefiningOp()) &&
          input->get().getType() == init->get().getType() &&
          op.getMatchingIndexingMap(input) == outMap &&
          input->get().hasOneUse()) {
        source = input;
        break;
      }
    if (!source)
      return rewriter.notifyMatchFailure(op, "no contraction input");

    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : op.getDpsInputOperands())
      if (input != source) {
        inputs.push_back(input->get());
        maps.push_back(op.getMatchingIndexingMap(input));
      }
    maps.push_back(outMap);
    auto replacement = linalg::GenericOp::create(
        rewriter, op.getLoc(), op.getResultTypes(), inputs,
        ValueRange{source->get()}, maps, op.getIteratorTypesArray());
    replacement->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    // Move the body; the source's block argument becomes the output one.
    Block *body = op.getBlock();
    unsigned sourceArg = source->getOperandNumber();
    unsigned outArg = op.getNumDpsInputs();
    rewriter.replaceAllUsesWith(body->getArgument(sourceArg),
                                body->getArgument(outArg));
    Region &region = replacement.getRegion();
    rewriter.inlineRegionBefore(op.getRegion(), region, region.end());
    region.front().eraseArgument(sourceArg);
    rewriter.replaceOp(op, replacement->getResults());
    return success();
  }
};

struct PrepareEpilogueFusionPass
    : tessera::cpu::impl::PrepareEpilogueFusionBase<PrepareEpilogueFusionPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateFoldReshapeOpsByCollapsingPatterns(patterns,
                                                       shouldCollapse);
    patterns.add<UpdateContractionInPlace>(context);
    // collapse_shape(tensor.empty) -> tensor.empty, so inits read as empty.
    tensor::populateFoldTensorEmptyPatterns(patterns);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
