//===- PermuteLoops.cpp - Reductions outward in HLS kernels ---------------===//
//
// Implements `thls-permute-loops`: interchanges the loops of each
// linalg.generic in an HLS kernel so that one parallel loop is innermost and
// the pipelined loop has no loop-carried accumulation.
//
//===----------------------------------------------------------------------===//

#include "dialects/HLS/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace tessera::hls {
#define GEN_PASS_DEF_PERMUTELOOPS
#include "dialects/HLS/Transforms/Passes.h.inc"
} // namespace tessera::hls

using namespace mlir;
using namespace tessera::hls;

namespace {

/// The parallel loop to place innermost: the output's innermost dimension
/// (contiguous accesses) when it is long enough, else the longest parallel
/// loop. None when the op has no parallel loop.
std::optional<unsigned> pickInnerLoop(linalg::GenericOp op,
                                      int64_t minInnerTrip) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto isParallel = [&](unsigned d) {
    return iterators[d] == utils::IteratorType::parallel;
  };
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() > 0)
    if (auto dim = dyn_cast<AffineDimExpr>(outMap.getResults().back()))
      if (isParallel(dim.getPosition()) &&
          ranges[dim.getPosition()] >= minInnerTrip)
        return dim.getPosition();
  std::optional<unsigned> best;
  for (unsigned d = 0; d < ranges.size(); ++d)
    if (isParallel(d) && (!best || ranges[d] > ranges[*best]))
      best = d;
  return best;
}

/// New loop order: parallel loops (original order), reductions (original
/// order), then `inner`.
SmallVector<unsigned> getPermutation(linalg::GenericOp op, unsigned inner) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<unsigned> order;
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (d != inner && iterators[d] == utils::IteratorType::parallel)
      order.push_back(d);
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (iterators[d] != utils::IteratorType::parallel)
      order.push_back(d);
  order.push_back(inner);
  return order;
}

struct PermuteLoopsPass
    : tessera::hls::impl::PermuteLoopsBase<PermuteLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(HLSDialect::kKernelAttrName))
      return;
    SmallVector<linalg::GenericOp> ops;
    func.walk([&](linalg::GenericOp op) { ops.push_back(op); });
    IRRewriter rewriter(func.getContext());
    for (linalg::GenericOp op : ops) {
      if (op.getNumDpsInits() != 1 || ShapedType::isDynamicShape(
                                          op.getStaticLoopRanges()))
        continue;
      std::optional<unsigned> inner = pickInnerLoop(op, minInnerTrip);
      if (!inner)
        continue;
      SmallVector<unsigned> order = getPermutation(op, *inner);
      if (llvm::equal(order, llvm::seq<unsigned>(0, order.size())))
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, order))) {
        op->emitOpError("loop interchange failed");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
