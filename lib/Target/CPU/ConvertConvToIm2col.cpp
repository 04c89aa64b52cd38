//===- ConvertConvToIm2col.cpp - Convolutions as matrix products ----------===//
//
// Rewrites linalg.conv_2d_nchw_fchw into a contraction whose contiguous
// dimension is OH*OW, the one that tessera-tile-and-vectorize vectorizes:
//   - a 1x1 convolution with unit strides already is a matrix product per
//     image, out[n, f, p] += W[f, c] * in[n, c, p] on collapsed shapes, so no
//     copy is made;
//   - any other one becomes an im2col copy plus the contraction: the filter
//     becomes an F x (C*KH*KW) matrix and the input an (C*KH*KW) x (OH*OW)
//     matrix per image. The copy is written as a generic over
//     (n, c, kh, kw, oh, ow) with the convolution's affine input map,
//     col[n, c, kh, kw, oh, ow] = in[n, c, oh*sh + kh*dh, ow*sw + kw*dw],
//     whose innermost loop copies a contiguous row segment without index
//     arithmetic per element; upstream's linalg::rewriteInIm2Col iterates
//     over (k, p) and recomputes p / OW and p % OW for every element, which
//     took a quarter of a 3x3 convolution's time. The affine map also makes
//     tiles of the copy exact, which ConvertConvToIm2col.h relies on. The contraction reads the collapsed
//     (N, C*KH*KW, OH*OW) view. Upstream's rewrite remains the fallback
//     (dynamic or mixed types).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/ConvertConvToIm2col.h"
#include "lib/Target/CPU/MulAddContraction.h"
#include "lib/Target/CPU/Passes.h"
#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_CONVERTCONVTOIM2COL
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Collapses the trailing two dimensions of a rank-4 tensor into one
/// (N x C x H x W -> N x C x H*W), or all trailing three of a filter
/// (F x C x 1 x 1 -> F x C) when `filter` is set.
Value collapseTrailing(RewriterBase &rewriter, Location loc, Value value,
                       bool filter) {
  SmallVector<ReassociationIndices> groups =
      filter ? SmallVector<ReassociationIndices>{{0}, {1, 2, 3}}
             : SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}};
  return tensor::CollapseShapeOp::create(rewriter, loc, value, groups);
}

/// Whether `conv` has static shapes and one float element type: the
/// contractions built here have a float multiply-add body, so integer
/// convolutions and mixed element types keep upstream's im2col path.
static bool isStaticFloatConv(linalg::Conv2DNchwFchwOp conv) {
  auto inputType = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filterType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto outType = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  return filterType && inputType && outType &&
         isa<FloatType>(outType.getElementType()) &&
         filterType.getElementType() == outType.getElementType() &&
         inputType.getElementType() == outType.getElementType() &&
         filterType.hasStaticShape() && inputType.hasStaticShape() &&
         outType.hasStaticShape();
}

/// Rewrites a static 1x1, unit-stride convolution as the contraction
/// out[n, f, p] += W[f, c] * in[n, c, p] on collapsed views.
LogicalResult rewriteUnitConvAsContraction(RewriterBase &rewriter,
                                           linalg::Conv2DNchwFchwOp conv) {
  auto filterType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto inputType = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto outType = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!isStaticFloatConv(conv))
    return failure();
  if (filterType.getDimSize(2) != 1 || filterType.getDimSize(3) != 1 ||
      !llvm::all_of(conv.getStrides().getValues<int64_t>(),
                    [](int64_t s) { return s == 1; }) ||
      inputType.getDimSize(2) != outType.getDimSize(2) ||
      inputType.getDimSize(3) != outType.getDimSize(3))
    return failure();

  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  Value input = collapseTrailing(rewriter, loc, conv.getInputs()[0], false);
  Value filter = collapseTrailing(rewriter, loc, conv.getInputs()[1], true);
  Value init = collapseTrailing(rewriter, loc, conv.getOutputs()[0], false);

  // (n, f, p, c): the same loop order as rewriteInIm2Col's contraction.
  SmallVector<AffineMap> maps =
      tessera::cpu::getConvContractionMaps(rewriter.getContext());
  auto contraction = tessera::cpu::createMulAddContraction(
      rewriter, loc, filter, input, init, maps);
  // Keep what the rewritten op carried (node name, a user's tile config).
  for (NamedAttribute attr : conv->getDiscardableAttrs())
    contraction->setAttr(attr.getName(), attr.getValue());
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, outType, contraction.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(conv, result);
  return success();
}

/// The static strides or dilations of `conv` (an i64 elements attribute).
SmallVector<int64_t> getValues(DenseIntElementsAttr attr) {
  return llvm::to_vector(attr.getValues<int64_t>());
}

/// Rewrites a static float convolution (any kernel, stride and dilation)
/// into the row-copy im2col described in the file header and the
/// contraction out[n, f, p] += W[f, k] * col[n, k, p].
LogicalResult rewriteConvAsIm2colContraction(RewriterBase &rewriter,
                                             linalg::Conv2DNchwFchwOp conv) {
  auto filterType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto outType = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!isStaticFloatConv(conv))
    return failure();
  SmallVector<int64_t> strides = getValues(conv.getStrides());
  SmallVector<int64_t> dilations = getValues(conv.getDilations());
  ArrayRef<int64_t> filterShape = filterType.getShape();
  ArrayRef<int64_t> outShape = outType.getShape();

  Location loc = conv.getLoc();
  MLIRContext *context = rewriter.getContext();
  rewriter.setInsertionPoint(conv);
  // col[n, c, kh, kw, oh, ow] = in[n, c, oh*sh + kh*dh, ow*sw + kw*dw].
  AffineExpr n, c, kh, kw, oh, ow;
  bindDims(context, n, c, kh, kw, oh, ow);
  AffineMap inputMap =
      AffineMap::get(6, 0,
                     {n, c, oh * strides[0] + kh * dilations[0],
                      ow * strides[1] + kw * dilations[1]},
                     context);
  SmallVector<int64_t> colShape = {outShape[0],    filterShape[1],
                                   filterShape[2], filterShape[3],
                                   outShape[2],    outShape[3]};
  Value colInit = tensor::EmptyOp::create(rewriter, loc, colShape,
                                          outType.getElementType());
  SmallVector<utils::IteratorType> iterators(6, utils::IteratorType::parallel);
  auto im2col = linalg::GenericOp::create(
      rewriter, loc, colInit.getType(), conv.getInputs()[0], colInit,
      SmallVector<AffineMap>{inputMap,
                             AffineMap::getMultiDimIdentityMap(6, context)},
      iterators, [](OpBuilder &builder, Location loc, ValueRange args) {
        linalg::YieldOp::create(builder, loc, args[0]);
      });
  Value col = tensor::CollapseShapeOp::create(
      rewriter, loc, im2col.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
  Value filter = collapseTrailing(rewriter, loc, conv.getInputs()[1], true);
  Value init = collapseTrailing(rewriter, loc, conv.getOutputs()[0], false);
  auto contraction = tessera::cpu::createMulAddContraction(
      rewriter, loc, filter, col, init,
      tessera::cpu::getConvContractionMaps(context));
  // The node name goes to both ops; a user's tile config only to the
  // contraction; linalg's cache of the named op's maps to neither.
  for (NamedAttribute attr : conv->getDiscardableAttrs()) {
    if (attr.getName().strref().starts_with("linalg."))
      continue;
    contraction->setAttr(attr.getName(), attr.getValue());
    if (attr.getName() != tessera::cpu::kTileConfigAttrName)
      im2col->setAttr(attr.getName(), attr.getValue());
  }
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, outType, contraction.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(conv, result);
  return success();
}

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
      if (succeeded(rewriteUnitConvAsContraction(rewriter, conv)) ||
          succeeded(rewriteConvAsIm2colContraction(rewriter, conv)))
        continue;
      rewriter.setInsertionPoint(conv);
      // Convolutions the rewrite does not handle (dynamic shapes) keep the
      // direct lowering.
      (void)linalg::rewriteInIm2Col(rewriter, conv);
    }
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// The tile-level half
//===----------------------------------------------------------------------===//

namespace {

/// Whether `op` is a gather copy whose input map is a sum of loops times
/// non-negative constants (no floordiv or mod, no reversal such as a
/// ConvTranspose's flipped filter): the tile of such a map at an offset is
/// the map of the tile shifted by the map of the offset, which tiling
/// relies on.
bool isAffineGatherCopy(Operation *op) {
  if (!tessera::cpu::isGatherCopy(op))
    return false;
  auto generic = cast<linalg::GenericOp>(op);
  return llvm::all_of(
      generic.getMatchingIndexingMap(generic.getDpsInputOperand(0))
          .getResults(),
      [](AffineExpr expr) {
        bool nonNegative = true;
        expr.walk([&](AffineExpr sub) {
          if (auto constant = dyn_cast<AffineConstantExpr>(sub))
            nonNegative &= constant.getValue() >= 0;
        });
        return expr.isPureAffine() && nonNegative;
      });
}

/// The collapse_shape of an im2col copy that `value` is a (unit-stride,
/// rank-preserving) slice of, looking through slices; nullptr otherwise.
tensor::CollapseShapeOp getIm2colView(Value value) {
  while (auto slice = value.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (!slice.hasUnitStride() ||
        slice.getSourceType().getRank() != slice.getResultType().getRank())
      return nullptr;
    value = slice.getSource();
  }
  auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || !isAffineGatherCopy(collapse.getSrc().getDefiningOp()))
    return nullptr;
  return collapse;
}

/// `a + b` folded where both are constants.
OpFoldResult add(RewriterBase &rewriter, Location loc, OpFoldResult a,
                 OpFoldResult b) {
  AffineExpr d0, d1;
  bindDims(rewriter.getContext(), d0, d1);
  return affine::makeComposedFoldedAffineApply(rewriter, loc, d0 + d1, {a, b});
}

/// The step, in elements of the input's last dimension, between
/// consecutive iterations of the copy's innermost loop (the stride of the
/// convolution along ow), when only the last input index depends on that
/// loop; std::nullopt otherwise.
std::optional<int64_t> getRowStride(linalg::GenericOp copy) {
  AffineMap map = copy.getMatchingIndexingMap(copy.getDpsInputOperand(0));
  unsigned inner = map.getNumDims() - 1;
  ArrayRef<AffineExpr> results = map.getResults();
  if (results.empty() ||
      llvm::any_of(results.drop_back(), [&](AffineExpr expr) {
        return expr.isFunctionOfDim(inner);
      }))
    return std::nullopt;
  // The results are sums of loops times constants (isAffineGatherCopy):
  // the coefficient of the inner loop is the last result at d_inner = 1,
  // every other loop 0.
  MLIRContext *context = copy.getContext();
  SmallVector<AffineExpr> point(map.getNumDims(),
                                getAffineConstantExpr(0, context));
  point[inner] = getAffineConstantExpr(1, context);
  auto step = dyn_cast<AffineConstantExpr>(simplifyAffineExpr(
      results.back().replaceDims(point), map.getNumDims(), 0));
  if (!step || step.getValue() < 1)
    return std::nullopt;
  return step.getValue();
}

/// The longest row copied as one vector (a convolution's output width; a
/// longer one, such as a flattened copy, keeps the scalar lowering rather
/// than become a vector of thousands of lanes).
constexpr int64_t kMaxVectorRow = 256;
/// The largest stride along ow copied as vectors (each chunk reads stride
/// registers for one).
constexpr int64_t kMaxRowStride = 4;

/// Copies one unit-stride row, dest[.., 0:len] = window[.., 0:len]: one
/// vector read of the contiguous input segment and one write (vmovups).
Value copyUnitStrideRow(RewriterBase &rewriter, Location loc, Value window,
                        Value dest, ArrayRef<Value> destIndices) {
  auto windowType = cast<RankedTensorType>(window.getType());
  Type element = windowType.getElementType();
  int64_t windowRank = windowType.getRank();
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value padding =
      arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(element));
  Value row = vector::TransferReadOp::create(
      rewriter, loc, VectorType::get(windowType.getShape(), element), window,
      SmallVector<Value>(windowRank, zero), padding,
      SmallVector<bool>(windowRank, true));
  // The row as the destination's [1, .., 1, OW] slice.
  SmallVector<int64_t> destRowShape(destIndices.size(), 1);
  destRowShape.back() = windowType.getShape().back();
  Value destRow = vector::ShapeCastOp::create(
      rewriter, loc, VectorType::get(destRowShape, element), row);
  return vector::TransferWriteOp::create(
             rewriter, loc, destRow, dest, destIndices,
             SmallVector<bool>(destIndices.size(), true))
      ->getResult(0);
}

/// The output lanes of one chunk of a strided row: one AVX-512 register of
/// f32. Its input is one contiguous read of kStridedChunk * stride lanes
/// (two registers at stride 2) that a single permute (vpermt2ps) narrows.
constexpr int64_t kStridedChunk = 16;

/// Copies one strided row, dest[.., 0:len] = window[.., 0:len*stride:stride]
/// where `window` is the row's input segment ((len - 1) * stride + 1
/// elements), in chunks of kStridedChunk output lanes: each chunk is one
/// contiguous read of chunk * stride lanes and a vector.shuffle that keeps
/// every stride-th lane. A read that would run past the window's end (only
/// the last chunk's, by at most stride - 1 lanes) is masked there; the last
/// chunk overlaps the one before instead of being shorter, so every write
/// is a whole register. Reading the whole row as one masked vector and
/// shuffling it (the depthwise convolutions' strided rows) made ResNet's
/// 7x7/2 stem copy 1.6x as slow as scalar code: the shuffle of a
/// 224-lane vector does not lower to permutes.
Value copyStridedRow(RewriterBase &rewriter, Location loc, Value window,
                     Value dest, ArrayRef<Value> destIndices, int64_t length,
                     int64_t stride) {
  auto windowType = cast<RankedTensorType>(window.getType());
  Type element = windowType.getElementType();
  int64_t windowRank = windowType.getRank();
  int64_t windowLength = windowType.getShape().back();
  int64_t destRank = destIndices.size();
  int64_t chunk = std::min(kStridedChunk, length);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value padding =
      arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(element));
  SmallVector<int64_t> picked;
  for (int64_t lane = 0; lane < chunk; ++lane)
    picked.push_back(lane * stride);
  SmallVector<int64_t> readShape(windowRank, 1), writeShape(destRank, 1);
  readShape.back() = chunk * stride;
  writeShape.back() = chunk;
  for (int64_t first = 0; first < length; first += chunk) {
    // The last chunk ends at the row's end, overlapping the one before.
    int64_t start = std::min(first, length - chunk);
    int64_t inputStart = start * stride;
    SmallVector<Value> readIndices(windowRank, zero);
    readIndices.back() =
        arith::ConstantIndexOp::create(rewriter, loc, inputStart);
    SmallVector<bool> inBounds(windowRank, true);
    inBounds.back() = inputStart + chunk * stride <= windowLength;
    Value wide = vector::TransferReadOp::create(
        rewriter, loc, VectorType::get(readShape, element), window,
        readIndices, padding, inBounds);
    Value flat = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({chunk * stride}, element), wide);
    Value lanes =
        vector::ShuffleOp::create(rewriter, loc, flat, flat, picked);
    Value row = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get(writeShape, element), lanes);
    SmallVector<Value> indices(destIndices);
    indices.back() = arith::ConstantIndexOp::create(rewriter, loc, start);
    dest = vector::TransferWriteOp::create(rewriter, loc, row, dest, indices,
                                           SmallVector<bool>(destRank, true))
               ->getResult(0);
  }
  return dest;
}

/// Lowers a static tile of an im2col copy, col[n, c, kh, kw, oh, ow] =
/// in[n, c, oh*sh + kh*dh, ow*sw + kw*dw], to a loop nest over its rows
/// (all loops but ow) whose body copies one row as vectors. With unit
/// stride along ow that is a `vector.transfer_read` of the contiguous input
/// row segment and a `vector.transfer_write` of the row; a strided row (a
/// stride-2 stem or downsampling convolution) is copied in chunks of one
/// register (copyStridedRow). As a linalg op the copy took the scalar
/// lowering (its input map is not a projected permutation, which
/// linalg::vectorize requires): one scalar load and store per element, a
/// quarter of a fused 3x3 kernel's time. Returns the copied tile; leaves
/// `copy` alone (std::nullopt) when its rows are not rows of the input.
std::optional<Value> vectorizeCopyRows(RewriterBase &rewriter,
                                       linalg::GenericOp copy) {
  if (!isAffineGatherCopy(copy) || copy.hasDynamicShape())
    return std::nullopt;
  auto outType = dyn_cast<RankedTensorType>(copy.getResultTypes()[0]);
  std::optional<int64_t> rowStride = getRowStride(copy);
  if (!outType || outType.getRank() == 0 || !rowStride ||
      *rowStride > kMaxRowStride || outType.getShape().back() > kMaxVectorRow)
    return std::nullopt;
  int64_t stride = *rowStride;
  Location loc = copy.getLoc();
  AffineMap map = copy.getMatchingIndexingMap(copy.getDpsInputOperand(0));
  unsigned numLoops = map.getNumDims(), inner = numLoops - 1;
  ArrayRef<int64_t> shape = outType.getShape();
  int64_t rowLength = shape[inner];
  Value input = copy.getDpsInputs()[0];
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t inputRank = inputType.getRank();

  rewriter.setInsertionPoint(copy);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  // One scf.for per row loop longer than 1, carrying the destination.
  SmallVector<Value> ivs(numLoops, zero);
  SmallVector<scf::ForOp> loops;
  Value dest = copy.getDpsInits()[0];
  for (unsigned loop = 0; loop < inner; ++loop) {
    if (shape[loop] == 1)
      continue;
    Value bound = arith::ConstantIndexOp::create(rewriter, loc, shape[loop]);
    auto forOp = scf::ForOp::create(rewriter, loc, zero, bound, one, dest);
    if (!loops.empty())
      scf::YieldOp::create(rewriter, loc, forOp.getResults());
    rewriter.setInsertionPointToStart(forOp.getBody());
    ivs[loop] = forOp.getInductionVar();
    dest = forOp.getRegionIterArgs()[0];
    loops.push_back(forOp);
  }
  // The row's first input element: the map at ow = 0.
  SmallVector<OpFoldResult> offsets;
  SmallVector<OpFoldResult> operands = getAsOpFoldResult(ivs);
  operands[inner] = rewriter.getIndexAttr(0);
  for (AffineExpr expr : map.getResults())
    offsets.push_back(affine::makeComposedFoldedAffineApply(
        rewriter, loc, AffineMap::get(numLoops, 0, expr), operands));
  // The row's input segment: rowLength elements at unit stride, the span
  // of the picked ones at a larger stride.
  int64_t windowLength = (rowLength - 1) * stride + 1;
  SmallVector<OpFoldResult> sizes(inputRank, rewriter.getIndexAttr(1));
  sizes.back() = rewriter.getIndexAttr(windowLength);
  SmallVector<OpFoldResult> strides(inputRank, rewriter.getIndexAttr(1));
  SmallVector<int64_t> windowShape(inputRank, 1);
  windowShape.back() = windowLength;
  auto windowType =
      RankedTensorType::get(windowShape, inputType.getElementType());
  Value window = tensor::ExtractSliceOp::create(rewriter, loc, windowType,
                                                input, offsets, sizes, strides);
  SmallVector<Value> destIndices(ivs);
  destIndices[inner] = zero;
  Value written;
  if (stride == 1)
    written = copyUnitStrideRow(rewriter, loc, window, dest, destIndices);
  else
    written = copyStridedRow(rewriter, loc, window, dest, destIndices,
                             rowLength, stride);
  if (loops.empty()) {
    rewriter.replaceOp(copy, written);
    return written;
  }
  scf::YieldOp::create(rewriter, loc, written);
  rewriter.replaceOp(copy, loops.front().getResults());
  return loops.front().getResult(0);
}

/// Replaces `operand`, a static slice of an im2col view whose offsets are
/// multiples of `steps` (0: always 0), by a tile of the copy.
LogicalResult fuseIm2colTile(RewriterBase &rewriter, OpOperand &operand,
                             ArrayRef<int64_t> steps) {
  auto sliceType = dyn_cast<RankedTensorType>(operand.get().getType());
  tensor::CollapseShapeOp collapse = getIm2colView(operand.get());
  if (!sliceType || !sliceType.hasStaticShape() || !collapse ||
      operand.get() == collapse.getResult())
    return failure();
  SmallVector<int64_t> groupSizes = tessera::cpu::getIm2colGroupSizes(operand);
  int64_t rank = sliceType.getRank();
  for (int64_t dim = 0; dim < rank; ++dim)
    if (sliceType.getDimSize(dim) % groupSizes[dim] != 0 ||
        steps[dim] % groupSizes[dim] != 0)
      return failure();

  // The offsets of the slice in the view: the sum along the slice chain.
  Location loc = operand.getOwner()->getLoc();
  rewriter.setInsertionPoint(operand.getOwner());
  SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
  for (Value value = operand.get(); value != collapse.getResult();) {
    auto slice = value.getDefiningOp<tensor::ExtractSliceOp>();
    for (auto [offset, sliceOffset] :
         llvm::zip(offsets, slice.getMixedOffsets()))
      offset = add(rewriter, loc, offset, sliceOffset);
    value = slice.getSource();
  }
  // The same tile of the copy: in each group, the outermost dimension
  // takes offset / group size and size / group size, the others are whole.
  ArrayRef<int64_t> shape = collapse.getSrcType().getShape();
  SmallVector<OpFoldResult> copyOffsets, copySizes;
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  for (auto [dim, group] : llvm::enumerate(collapse.getReassociationIndices()))
    for (auto [position, copyDim] : llvm::enumerate(group)) {
      if (position != 0) {
        copyOffsets.push_back(rewriter.getIndexAttr(0));
        copySizes.push_back(rewriter.getIndexAttr(shape[copyDim]));
        continue;
      }
      copyOffsets.push_back(affine::makeComposedFoldedAffineApply(
          rewriter, loc, d0.floorDiv(groupSizes[dim]), {offsets[dim]}));
      copySizes.push_back(
          rewriter.getIndexAttr(sliceType.getDimSize(dim) / groupSizes[dim]));
    }
  SmallVector<OpFoldResult> strides(shape.size(), rewriter.getIndexAttr(1));
  auto copySlice = tensor::ExtractSliceOp::create(
      rewriter, loc, collapse.getSrc(), copyOffsets, copySizes, strides);
  FailureOr<TilingResult> tiled = tensor::replaceExtractSliceWithTiledProducer(
      rewriter, copySlice, cast<OpResult>(collapse.getSrc()));
  if (failed(tiled) || tiled->tiledValues.size() != 1) {
    rewriter.eraseOp(copySlice);
    return failure();
  }
  rewriter.eraseOp(copySlice);
  // The tile is computed where it is: no tiling of its own, one vector
  // copy per row.
  Value copied = tiled->tiledValues.front();
  for (Operation *op : tiled->tiledOps) {
    op->removeAttr(tessera::cpu::kTileConfigAttrName);
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (generic && generic->getResult(0) == copied)
      if (std::optional<Value> rows = vectorizeCopyRows(rewriter, generic))
        copied = *rows;
  }
  rewriter.setInsertionPoint(operand.getOwner());
  Value view = tensor::CollapseShapeOp::create(
      rewriter, loc, sliceType, copied, collapse.getReassociationIndices());
  rewriter.modifyOpInPlace(operand.getOwner(), [&] { operand.set(view); });
  return success();
}

} // namespace

SmallVector<int64_t> tessera::cpu::getIm2colGroupSizes(OpOperand &operand) {
  tensor::CollapseShapeOp collapse = getIm2colView(operand.get());
  if (!collapse)
    return {};
  ArrayRef<int64_t> shape = collapse.getSrcType().getShape();
  SmallVector<int64_t> sizes;
  for (ReassociationIndices group : collapse.getReassociationIndices()) {
    int64_t size = 1;
    for (int64_t dim : ArrayRef(group).drop_front())
      size *= shape[dim];
    sizes.push_back(size);
  }
  return sizes;
}

LogicalResult tessera::cpu::vectorizeIm2colCopyRows(RewriterBase &rewriter,
                                                    Operation *op) {
  auto copy = dyn_cast<linalg::GenericOp>(op);
  return success(copy && vectorizeCopyRows(rewriter, copy).has_value());
}

void tessera::cpu::fuseIm2colTiles(RewriterBase &rewriter, Operation *tile,
                                   const TileConfig &config) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(tile);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics())
    return;
  SmallVector<utils::IteratorType> iterators = linalgOp.getIteratorTypesArray();
  for (OpOperand *operand : linalgOp.getDpsInputOperands()) {
    AffineMap map = linalgOp.getMatchingIndexingMap(operand);
    if (!map.isProjectedPermutation() ||
        map.getNumDims() != config.parallel.size() ||
        !getIm2colView(operand->get()))
      continue;
    // The step of each operand dimension's loop at the levels above.
    SmallVector<int64_t> steps;
    for (unsigned result = 0; result < map.getNumResults(); ++result) {
      unsigned loop = map.getDimPosition(result);
      steps.push_back(iterators[loop] == utils::IteratorType::reduction
                          ? config.reduction[loop]
                          : config.parallel[loop]);
    }
    (void)fuseIm2colTile(rewriter, *operand, steps);
  }
}
