//===- FuseElementwiseOps.cpp - Elementwise fusion without recomputation --===//
//
// Upstream's linalg-fuse-elementwise-ops fuses an elementwise producer into
// any consuming generic. When the consumer reads the producer's result
// through a map that skips one of its loops (a matmul reads A[m, k] for
// every n), the fused producer is recomputed for every iteration of that
// loop: a Transformer's GELU (erf) fused into the next MatMul ran 128 times
// per element and took 50x longer than the model. This pass applies the same
// upstream patterns, but fuses only where each producer element is computed
// once: the consumer's map for the operand is a permutation of all its loops.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_FUSEELEMENTWISEOPS
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Fuse a single-use producer only into an operand that the consumer reads
/// once per producer element.
bool fusesWithoutRecomputation(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
  if (!consumer)
    return true; // Reshape folding: no loops are involved.
  return consumer.getMatchingIndexingMap(fused).isPermutation();
}

struct FuseElementwiseOpsPass
    : tessera::cpu::impl::FuseElementwiseOpsBase<FuseElementwiseOpsPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 fusesWithoutRecomputation);
    linalg::populateFoldReshapeOpsByExpansionPatterns(
        patterns, fusesWithoutRecomputation);
    linalg::populateConstantFoldLinalgOperations(patterns,
                                                 fusesWithoutRecomputation);
    // The clean-ups upstream's pass runs with the fusion patterns.
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
