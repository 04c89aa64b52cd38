//===- DecomposePooling.cpp - 2-D pooling as elementwise ops --------------===//
//
// Rewrites a static-shape float linalg.pooling_nchw_max / _sum into one
// elementwise linalg.generic over the output (n, c, oh, ow) that combines
// the KH*KW taps, each a strided slice of the input:
//
//   out[n, c, oh, ow] = init[n, c, oh, ow]
//       max/+ in[n, c, oh*sh + kh*dh, ow*sw + kw*dw]   for all (kh, kw).
//
// The named ops take the scalar lowering: SqueezeNet 1.1 spent 10% of its
// time in three max pools, one load-compare-store per tap. The decomposed
// form is the one of tessera-decompose-depthwise-conv, so it gets the same
// tile config (channels over threads, a register tile along ow) and the
// same vector code, strided windows included (DepthwiseConv.h).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_DECOMPOSEPOOLING
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Windows larger than this stay named ops: one input per tap would make
/// the elementwise op unwieldy, and such pools are rare and global-like.
constexpr int64_t kMaxTaps = 49;

/// The scalar that `init` is filled with, if a linalg.fill produces it.
Value getFillValue(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill ? fill.getInputs()[0] : Value();
}

/// Combines two elements the way the pooling op `Op` does.
template <typename Op>
Value combine(OpBuilder &b, Location loc, Value lhs, Value rhs);
template <>
Value combine<linalg::PoolingNchwMaxOp>(OpBuilder &b, Location loc, Value lhs,
                                        Value rhs) {
  return arith::MaximumFOp::create(b, loc, lhs, rhs);
}
template <>
Value combine<linalg::PoolingNchwSumOp>(OpBuilder &b, Location loc, Value lhs,
                                        Value rhs) {
  return arith::AddFOp::create(b, loc, lhs, rhs);
}

template <typename Op> struct DecomposePooling2DNchw : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value input = op.getDpsInputOperand(0)->get();
    Value window = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto windowType = cast<ShapedType>(window.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    if (!inputType.hasStaticShape() || !windowType.hasStaticShape() ||
        !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type elementType = outType.getElementType();
    if (!isa<FloatType>(elementType) ||
        inputType.getElementType() != elementType)
      return rewriter.notifyMatchFailure(op, "not one float element type");
    int64_t kernelH = windowType.getDimSize(0),
            kernelW = windowType.getDimSize(1);
    if (kernelH * kernelW > kMaxTaps || kernelH * kernelW < 2)
      return rewriter.notifyMatchFailure(op, "window too large or trivial");

    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto strides =
        llvm::to_vector(op.getStrides().template getValues<int64_t>());
    auto dilations =
        llvm::to_vector(op.getDilations().template getValues<int64_t>());
    ArrayRef<int64_t> outShape = outType.getShape();

    // One strided input slice (identity map) per tap, in the order the
    // named op visits them.
    SmallVector<Value> inputs;
    for (int64_t kh = 0; kh < kernelH; ++kh)
      for (int64_t kw = 0; kw < kernelW; ++kw)
        inputs.push_back(tensor::ExtractSliceOp::create(
            rewriter, loc, input,
            getAsIndexOpFoldResult(
                context, {0, 0, kh * dilations[0], kw * dilations[1]}),
            getAsIndexOpFoldResult(context, outShape),
            getAsIndexOpFoldResult(context, {1, 1, strides[0], strides[1]})));
    int64_t numTaps = inputs.size();
    // A filled init (the usual -inf or 0) becomes the scalar the reduction
    // starts from; any other init is read as an input.
    Value fillValue = getFillValue(init);
    if (!fillValue)
      inputs.push_back(init);
    AffineMap identity = rewriter.getMultiDimIdentityMap(4);
    SmallVector<AffineMap> maps(inputs.size() + 1, identity);
    Value empty = tensor::EmptyOp::create(rewriter, loc, outShape, elementType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, outType, inputs, ValueRange{empty}, maps,
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value acc = fillValue ? fillValue : args[numTaps];
          for (int64_t tap = 0; tap < numTaps; ++tap)
            acc = combine<Op>(b, nestedLoc, acc, args[tap]);
          linalg::YieldOp::create(b, nestedLoc, acc);
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

struct DecomposePoolingPass
    : tessera::cpu::impl::DecomposePoolingBase<DecomposePoolingPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposePooling2DNchw<linalg::PoolingNchwMaxOp>,
                 DecomposePooling2DNchw<linalg::PoolingNchwSumOp>>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
