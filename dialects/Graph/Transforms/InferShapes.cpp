//===- InferShapes.cpp - Propagate refined types through a graph ----------===//
//
// Re-runs result-type inference of every op that implements
// InferTypeOpInterface, then makes the function type agree with what it
// returns.
// Ops whose operands no longer fit together report the inference error.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace tessera::graph {
#define GEN_PASS_DEF_INFERSHAPES
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace tessera::graph

using namespace mlir;

namespace {

struct InferShapesPass
    : tessera::graph::impl::InferShapesBase<InferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    WalkResult result = func.walk([](InferTypeOpInterface op) {
      SmallVector<Type> inferred;
      if (failed(op.inferReturnTypes(
              op->getContext(), op->getLoc(), op->getOperands(),
              op->getAttrDictionary(), op->getPropertiesStorage(),
              op->getRegions(), inferred)))
        return WalkResult::interrupt();
      for (auto [value, type] : llvm::zip(op->getResults(), inferred))
        value.setType(type);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    Operation *terminator = func.getBody().back().getTerminator();
    func.setFunctionType(FunctionType::get(
        func.getContext(), func.getArgumentTypes(),
        terminator->getOperandTypes()));
  }
};

} // namespace
