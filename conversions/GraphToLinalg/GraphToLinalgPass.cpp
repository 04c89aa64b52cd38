//===- GraphToLinalgPass.cpp - Thin pass around the Graph lowering --------===//
//
// Applies populateGraphToLinalgPatterns as a partial conversion with the
// Graph dialect illegal, so any op left over is reported and fails the pass.
// Ops with dynamic shapes are reported first, once each, with the advice to
// fix the dimension on the command line.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"
#include "conversions/Passes.h"
#include "dialects/Graph/IR/GraphDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
    // The lowering needs static shapes: say so on every offending op rather
    // than as a generic legalization failure.
    bool dynamic = false;
    getOperation()->walk([&](Operation *op) {
      if (!isa<tessera::graph::GraphDialect>(op->getDialect()) ||
          !tessera::graph_to_linalg::hasDynamicShapes(op))
        return;
      op->emitError(tessera::graph_to_linalg::kDynamicShapeMessage);
      dynamic = true;
    });
    if (dynamic)
      return signalPassFailure();

    ConversionTarget target(*context);
    target.addIllegalDialect<tessera::graph::GraphDialect>();
    target.addLegalDialect<arith::ArithDialect, LLVM::LLVMDialect,
                           linalg::LinalgDialect, scf::SCFDialect,
                           math::MathDialect, tensor::TensorDialect,
                           func::FuncDialect>();
    // Scalar casts between unsigned and signless integers inside generic
    // bodies (see buildSignlessElementwise).
    target.addLegalOp<UnrealizedConversionCastOp>();
    RewritePatternSet patterns(context);
    tessera::populateGraphToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
