//===- DecomposeDepthwiseConv.cpp - Depthwise convs as elementwise ops ----===//
//
// Rewrites a static-shape linalg.depthwise_conv_2d_nchw_chw into one
// elementwise linalg.generic over the output (n, c, oh, ow): the sum over
// the KH*KW taps of strided slices of the input, each scaled by its tap of
// the filter,
//
//   out[n, c, oh, ow] = init[n, c, oh, ow]
//       + sum_{kh, kw} w[c, kh, kw] * in[n, c, oh*sh + kh*dh, ow*sw + kw*dw].
//
// Upstream's convolution vectorizer handles depthwise convolutions only in
// NHWC; in NCHW the innermost output dimension (ow) is the contiguous one of
// the input, so the decomposed form is vectorized along ow by the ordinary
// elementwise path, and as an elementwise op it fuses with the bias
// broadcast before it and the activation after it.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_DECOMPOSEDEPTHWISECONV
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// The two values of a rank-1 i64 attribute such as `strides`.
SmallVector<int64_t> getPair(DenseIntElementsAttr attr) {
  return llvm::to_vector(attr.getValues<int64_t>());
}

/// The scalar that `init` is filled with, if a linalg.fill produces it: the
/// accumulation then starts from that scalar instead of reading a tensor.
Value getFillValue(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill ? fill.getInputs()[0] : Value();
}

struct DecomposeDepthwiseConv2DNchwChw
    : OpRewritePattern<linalg::DepthwiseConv2DNchwChwOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::DepthwiseConv2DNchwChwOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value input = op.getDpsInputOperand(0)->get();
    Value filter = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto filterType = cast<RankedTensorType>(filter.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    if (!inputType.hasStaticShape() || !filterType.hasStaticShape() ||
        !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type elementType = outType.getElementType();
    if (!isa<FloatType>(elementType) ||
        inputType.getElementType() != elementType ||
        filterType.getElementType() != elementType)
      return rewriter.notifyMatchFailure(op, "not one float element type");

    Location loc = op.getLoc();
    SmallVector<int64_t> strides = getPair(op.getStrides());
    SmallVector<int64_t> dilations = getPair(op.getDilations());
    ArrayRef<int64_t> outShape = outType.getShape();
    int64_t channels = filterType.getDimSize(0);
    int64_t kernelH = filterType.getDimSize(1),
            kernelW = filterType.getDimSize(2);

    // One strided input slice (identity map) and one filter column (read per
    // channel) per tap, in the order the named op accumulates them.
    MLIRContext *context = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(4);
    AffineMap perChannel = AffineMap::get(4, 0, rewriter.getAffineDimExpr(1));
    auto tapType = RankedTensorType::get({channels}, elementType);
    SmallVector<Value> taps, weights;
    for (int64_t kh = 0; kh < kernelH; ++kh) {
      for (int64_t kw = 0; kw < kernelW; ++kw) {
        taps.push_back(tensor::ExtractSliceOp::create(
            rewriter, loc, input,
            getAsIndexOpFoldResult(
                context, {0, 0, kh * dilations[0], kw * dilations[1]}),
            getAsIndexOpFoldResult(context, outShape),
            getAsIndexOpFoldResult(context, {1, 1, strides[0], strides[1]})));
        weights.push_back(tensor::ExtractSliceOp::create(
            rewriter, loc, tapType, filter,
            getAsIndexOpFoldResult(context, {0, kh, kw}),
            getAsIndexOpFoldResult(context, {channels, 1, 1}),
            getAsIndexOpFoldResult(context, {1, 1, 1})));
      }
    }

    // The init is read as an input rather than updated in place: upstream's
    // elementwise fusion only fuses producers of inputs, and the init is
    // usually a bias broadcast that should fuse. A fill becomes a scalar.
    SmallVector<Value> inputs(taps);
    llvm::append_range(inputs, weights);
    SmallVector<AffineMap> maps(taps.size(), identity);
    maps.append(weights.size(), perChannel);
    Value fillValue = getFillValue(init);
    if (!fillValue) {
      inputs.push_back(init);
      maps.push_back(identity);
    }
    maps.push_back(identity);
    Value empty = tensor::EmptyOp::create(rewriter, loc, outShape, elementType);
    int64_t numTaps = taps.size();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, outType, inputs, ValueRange{empty}, maps,
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value acc = fillValue ? fillValue : args[2 * numTaps];
          // Each tap's multiply-add may be one FMA: `contract` lets LLVM
          // fuse them (vfmadd instead of vmulps + vaddps, -3.5% on a 3x3
          // depthwise convolution at 56x56).
          auto contract = arith::FastMathFlagsAttr::get(
              b.getContext(), arith::FastMathFlags::contract);
          for (int64_t tap = 0; tap < numTaps; ++tap) {
            Value product = arith::MulFOp::create(
                b, loc, args[tap], args[numTaps + tap], contract);
            acc = arith::AddFOp::create(b, loc, acc, product, contract);
          }
          linalg::YieldOp::create(b, loc, acc);
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

struct DecomposeDepthwiseConvPass
    : tessera::cpu::impl::DecomposeDepthwiseConvBase<
          DecomposeDepthwiseConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposeDepthwiseConv2DNchwChw>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
