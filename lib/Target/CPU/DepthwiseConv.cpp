//===- DepthwiseConv.cpp - Tile configs of depthwise convolutions ---------===//
//
// A decomposed depthwise convolution is an elementwise op over (n, c, oh, ow)
// whose KH*KW inputs are shifted, possibly strided, windows of one input
// tensor. Each output element costs KH*KW multiply-adds, so unlike a plain
// elementwise op it is worth explicit vector code: the register tile is a
// segment of one output row along ow (contiguous in the output and, for
// unit strides, in every input window), and channels are spread over threads.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/DepthwiseConv.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace tessera::cpu;

/// True if `op` reads at least two windows (extract_slices) of the same
/// tensor through identity maps: the taps of a decomposed convolution.
static bool readsShiftedWindows(linalg::LinalgOp op) {
  llvm::SmallDenseMap<Value, int> windowsPerSource;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    auto slice = operand->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (slice && op.getMatchingIndexingMap(operand).isIdentity() &&
        ++windowsPerSource[slice.getSource()] >= 2)
      return true;
  }
  return false;
}

/// The register tile along ow: the whole row when it fits in two vector
/// registers, else one register, or two when that leaves no remainder.
static int64_t selectRowTile(int64_t width, int64_t vectorWidth) {
  if (width <= 2 * vectorWidth)
    return width;
  return width % (2 * vectorWidth) == 0 ? 2 * vectorWidth : vectorWidth;
}

bool tessera::cpu::isDecomposedDepthwiseConv(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         linalgOp.getNumLoops() == 4 && linalgOp.getNumDpsInits() == 1 &&
         linalgOp.getNumParallelLoops() == 4 &&
         linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0))
             .isIdentity() &&
         readsShiftedWindows(linalgOp);
}

std::optional<TileConfig>
tessera::cpu::selectDepthwiseTileConfig(Operation *op,
                                        const CPUTargetInfo &target) {
  if (!isDecomposedDepthwiseConv(op))
    return std::nullopt;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
  if (llvm::any_of(bounds, ShapedType::isDynamic))
    return std::nullopt;

  // Loops: n, c, oh, ow. At least 8 channel tiles where the channels allow,
  // each a divisor of the channel count so that tiles stay static.
  int64_t channels = bounds[1];
  int64_t channelTile = std::max<int64_t>(1, channels / 8);
  while (channels % channelTile != 0)
    --channelTile;
  TileConfig config;
  config.parallel = {1, channelTile, 0, 0};
  config.reduction = {0, 0, 0, 0};
  config.vector = {1, 1, 1, selectRowTile(bounds[3], target.vectorWidth)};
  return config;
}

namespace {

/// vector.transfer_read of one row segment of a strided window:
///
///   %win = tensor.extract_slice %src[o0, .., on] [..] [s0, .., sn]
///   %v = vector.transfer_read %win[i0, .., in] : vector<1x..x1xVxf32>
///
/// (possibly through several extract_slices) becomes, with sn > 1,
///
///   %wide = vector.transfer_read %src[o0 + i0*s0, .., on + in*sn]
///           : vector<1x..x1x(sn*V)xf32>     // masked at the row's end
///   %v = lanes 0, sn, 2*sn, ... of %wide (vector.shuffle)
struct ReadStridedRowContiguously : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    VectorType vectorType = read.getVectorType();
    int64_t rank = vectorType.getRank();
    if (read.getMask() || !read.getPermutationMap().isIdentity() ||
        vectorType.isScalable() ||
        llvm::any_of(vectorType.getShape().drop_back(),
                     [](int64_t size) { return size != 1; }) ||
        llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }))
      return rewriter.notifyMatchFailure(read, "not an in-bounds row read");

    // The chain of same-rank slices that the read goes through, innermost
    // first, and their total innermost stride. No IR is created before the
    // pattern is known to apply.
    SmallVector<tensor::ExtractSliceOp> chain;
    int64_t stride = 1;
    Value source = read.getBase();
    while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>()) {
      std::optional<int64_t> innerStride =
          getConstantIntValue(slice.getMixedStrides().back());
      if (slice.getSourceType().getRank() != rank || !innerStride)
        break;
      chain.push_back(slice);
      stride *= *innerStride;
      source = slice.getSource();
    }
    if (stride == 1)
      return rewriter.notifyMatchFailure(read, "unit innermost stride");

    // Map the read's indices into the source: offset + index * stride, one
    // slice at a time.
    Location loc = read.getLoc();
    SmallVector<OpFoldResult> indices = getAsOpFoldResult(read.getIndices());
    AffineExpr offset, index, step;
    bindSymbols(rewriter.getContext(), offset, index, step);
    for (tensor::ExtractSliceOp slice : chain)
      for (int64_t d = 0; d < rank; ++d)
        indices[d] = affine::makeComposedFoldedAffineApply(
            rewriter, loc, offset + index * step,
            {slice.getMixedOffsets()[d], indices[d],
             slice.getMixedStrides()[d]});

    // The wide read may run past the end of the row by stride - 1 elements:
    // it is masked there (in_bounds = false), those lanes are dropped.
    int64_t lanes = vectorType.getShape().back();
    SmallVector<int64_t> wideShape(vectorType.getShape());
    wideShape.back() = lanes * stride;
    SmallVector<bool> inBounds(rank, true);
    inBounds.back() = false;
    Value wide = vector::TransferReadOp::create(
        rewriter, loc, VectorType::get(wideShape, vectorType.getElementType()),
        source, getValueOrCreateConstantIndexOp(rewriter, loc, indices),
        read.getPadding(), inBounds);
    auto flatWide =
        VectorType::get({lanes * stride}, vectorType.getElementType());
    Value flat = vector::ShapeCastOp::create(rewriter, loc, flatWide, wide);
    SmallVector<int64_t> picked;
    for (int64_t lane = 0; lane < lanes; ++lane)
      picked.push_back(lane * stride);
    Value row = vector::ShuffleOp::create(rewriter, loc, flat, flat, picked);
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(read, vectorType, row);
    return success();
  }
};

} // namespace

void tessera::cpu::populateStridedRowReadPatterns(RewritePatternSet &patterns) {
  patterns.add<ReadStridedRowContiguously>(patterns.getContext());
}
