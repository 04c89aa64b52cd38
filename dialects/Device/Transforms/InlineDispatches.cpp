//===- InlineDispatches.cpp - Replace dispatch regions by their bodies ----===//
//
// Splices the body of every `tdev.dispatch` in front of it and forwards the
// yielded values to the dispatch's uses. Nested dispatches are inlined
// innermost first.
//
//===----------------------------------------------------------------------===//

#include "dialects/Device/IR/DeviceOps.h"
#include "dialects/Device/Transforms/Passes.h"

namespace tessera::device {
#define GEN_PASS_DEF_INLINEDISPATCHES
#include "dialects/Device/Transforms/Passes.h.inc"
} // namespace tessera::device

using namespace mlir;
using namespace tessera::device;

namespace {

void inlineDispatch(DispatchOp dispatch) {
  Block &body = dispatch.getBody().front();
  YieldOp yield = dispatch.getYield();
  dispatch->replaceAllUsesWith(yield.getValues());
  yield->erase();
  dispatch->getBlock()->getOperations().splice(
      dispatch->getIterator(), body.getOperations());
  dispatch->erase();
}

struct InlineDispatchesPass
    : tessera::device::impl::InlineDispatchesBase<InlineDispatchesPass> {
  void runOnOperation() override {
    // Post-order: a nested dispatch is gone before its parent is spliced.
    getOperation().walk(
        [](DispatchOp dispatch) { inlineDispatch(dispatch); });
  }
};

} // namespace
