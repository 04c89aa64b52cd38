//===- ConvertConvToIm2col.cpp - Convolutions as matrix products ----------===//
//
// Rewrites linalg.conv_2d_nchw_fchw into an im2col copy plus a contraction
// (upstream linalg::rewriteInIm2Col): the filter becomes an F x (C*KH*KW)
// matrix, the input an (C*KH*KW) x (OH*OW) matrix per image, and the output
// their product, whose contiguous dimension (OH*OW) is the one that
// tessera-tile-and-vectorize vectorizes.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_CONVERTCONVTOIM2COL
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

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
      rewriter.setInsertionPoint(conv);
      // Convolutions the rewrite does not handle (dynamic shapes) keep the
      // direct lowering.
      (void)linalg::rewriteInIm2Col(rewriter, conv);
    }
  }
};

} // namespace
