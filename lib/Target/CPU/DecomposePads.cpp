//===- DecomposePads.cpp - Pads as a parallel fill plus an insert ---------===//
//
// Bufferization turns a tensor.pad into an allocation, a linalg.map that
// computes every element of the padded tensor (one scalar loop nest in the
// model function) and a copy of the source into its interior. MobileNetV2
// spent a quarter of its time in those loops and copies (every depthwise
// convolution pads its input), on one thread whatever the thread count.
//
// This pass rewrites a tensor.pad with a constant padding value into
// linalg.fills of the border of a fresh tensor (one slab per padded side;
// filling the whole tensor wrote the interior twice, and MobileNetV2's pads
// made that 9% of its time), which tessera-select-tile-config gives
// parallel tiles like any other op, and a tensor.insert_slice of the source
// (a memref.copy after bufferization, which tessera-parallelize-copies
// spreads over the thread pool). The fresh tensor is a
// bufferization.alloc_tensor, not a tensor.empty: canonicalization would
// fold the slabs' extract_slices of a tensor.empty into new tensors, and
// CSE would merge equal tensors of different pads.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_DECOMPOSEPADS
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Fills the slab of `tensor` at `offsets`/`sizes` with `value`: a fill of
/// its extract_slice, inserted back (a pair that bufferizes in place).
Value fillSlab(RewriterBase &rewriter, Location loc, Value tensor, Value value,
               ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes) {
  MLIRContext *context = rewriter.getContext();
  SmallVector<OpFoldResult> offsetValues =
      getAsIndexOpFoldResult(context, offsets);
  SmallVector<OpFoldResult> sizeValues = getAsIndexOpFoldResult(context, sizes);
  SmallVector<OpFoldResult> strides(offsets.size(), rewriter.getIndexAttr(1));
  Value slab = tensor::ExtractSliceOp::create(
      rewriter, loc, tensor, offsetValues, sizeValues, strides);
  Value filled = linalg::FillOp::create(rewriter, loc, value, slab).result();
  return tensor::InsertSliceOp::create(rewriter, loc, filled, tensor,
                                       offsetValues, sizeValues, strides);
}

/// tensor.pad with a padding value defined outside its region and static
/// shapes and padding, directly in a function (pads inside loops are tiled
/// code's own): fills of the border of a new tensor plus an insert_slice of
/// the source. Side d's slab spans the source's extent in the dimensions
/// before d and the whole extent after it, so the slabs cover the border
/// exactly once.
struct DecomposePad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    if (!isa<FunctionOpInterface>(pad->getParentOp()))
      return rewriter.notifyMatchFailure(pad, "not directly in a function");
    RankedTensorType resultType = pad.getResultType();
    if (!resultType.hasStaticShape() || !pad.getSourceType().hasStaticShape())
      return rewriter.notifyMatchFailure(pad, "dynamic shape");
    Value paddingValue = pad.getConstantPaddingValue();
    if (!paddingValue)
      return rewriter.notifyMatchFailure(pad, "padding value not constant");
    std::optional<SmallVector<int64_t>> low =
        getConstantIntValues(pad.getMixedLowPad());
    std::optional<SmallVector<int64_t>> high =
        getConstantIntValues(pad.getMixedHighPad());
    if (!low || !high)
      return rewriter.notifyMatchFailure(pad, "dynamic padding");

    Location loc = pad.getLoc();
    ArrayRef<int64_t> full = resultType.getShape();
    ArrayRef<int64_t> source = pad.getSourceType().getShape();
    int64_t rank = resultType.getRank();
    Value result = bufferization::AllocTensorOp::create(
        rewriter, loc, resultType, ValueRange{});
    for (int64_t d = 0; d < rank; ++d) {
      SmallVector<int64_t> offsets(rank, 0), sizes(full);
      for (int64_t j = 0; j < d; ++j) {
        offsets[j] = (*low)[j];
        sizes[j] = source[j];
      }
      if ((*low)[d] > 0) {
        offsets[d] = 0;
        sizes[d] = (*low)[d];
        result = fillSlab(rewriter, loc, result, paddingValue, offsets, sizes);
      }
      if ((*high)[d] > 0) {
        offsets[d] = (*low)[d] + source[d];
        sizes[d] = (*high)[d];
        result = fillSlab(rewriter, loc, result, paddingValue, offsets, sizes);
      }
    }
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        pad, pad.getSource(), result, pad.getMixedLowPad(),
        getAsIndexOpFoldResult(rewriter.getContext(), source), strides);
    return success();
  }
};

struct DecomposePadsPass
    : tessera::cpu::impl::DecomposePadsBase<DecomposePadsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposePad>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
