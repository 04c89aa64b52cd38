//===- GraphToLinalgPass.cpp - Thin pass around the Graph lowering --------===//
//
// Applies populateGraphToLinalgPatterns as a partial conversion with the
// Graph dialect illegal, so any op left over is reported and fails the pass.
//
//===----------------------------------------------------------------------===//

#include "conversions/Passes.h"
#include "dialects/Graph/IR/GraphDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tessera {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALG
#include "conversions/Passes.h.inc"
} // namespace tessera

using namespace mlir;

namespace {

struct ConvertGraphToLinalgPass
    : tessera::impl::ConvertGraphToLinalgBase<ConvertGraphToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<tessera::graph::GraphDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           func::FuncDialect>();
    RewritePatternSet patterns(context);
    tessera::populateGraphToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
