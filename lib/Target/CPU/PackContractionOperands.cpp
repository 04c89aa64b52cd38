//===- PackContractionOperands.cpp - Pack right-hand sides of contractions ===//
//
// A register-tiled contraction reads, for every step of its reduction loop,
// one row segment of w floats of B (w: the register tile's width). With B
// in its natural layout consecutive steps are a whole row of B apart: for a
// 1024-column B that is 4 KiB, the rows of one cache tile fall into the
// same few L1 sets and each needs its own TLB entry, and a 1024^3 SGEMM
// runs at half the FMA rate. Packing B into panels P[n / w, k, w] (BLIS's
// packed B, IREE's data tiling) makes every panel one contiguous stream.
//
// The pass works in two halves so that each stays small and testable:
//   - here, on whole ops: B becomes `linalg.unpack(P)` where P is the packed
//     copy, a constant folded at compile time when B is a constant and a
//     linalg.transpose of B's expanded view (with its own parallel tiles)
//     otherwise. The IR means the same as before.
//   - in tessera-tile-and-vectorize, once a cache tile is formed,
//     readPackedRhs replaces its slice of `linalg.unpack(P)` by the same
//     slice of P; the unpack is then dead and disappears.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/ConstantBytes.h"
#include "lib/Target/CPU/PackContractionOperands.h"
#include "lib/Target/CPU/Passes.h"
#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

#include <cstring>

namespace tessera::cpu {
#define GEN_PASS_DEF_PACKCONTRACTIONOPERANDS
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;
using namespace tessera::cpu;

namespace {

/// The permutation of the outer dimensions of a packed rank-`rank` operand:
/// the leading (batch) dimensions stay, k and n / w swap.
SmallVector<int64_t> getOuterPermutation(int64_t rank) {
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[rank - 2], perm[rank - 1]);
  return perm;
}

/// The packed type of `type` [..., K, N]: [..., N / w, K, w].
RankedTensorType getPackedType(RankedTensorType type, int64_t width) {
  SmallVector<int64_t> shape(type.getShape());
  int64_t rank = shape.size();
  int64_t rows = shape[rank - 2], columns = shape[rank - 1];
  shape[rank - 2] = columns / width;
  shape[rank - 1] = rows;
  shape.push_back(width);
  return RankedTensorType::get(shape, type.getElementType());
}

/// Packs a constant at compile time: the constant of `packedType` that
/// holds `value` (of `type`) in panels of `width` columns, or nullptr when
/// the constant's data is not available.
TypedAttr packConstant(Attribute value, RankedTensorType type,
                       RankedTensorType packedType, int64_t width) {
  if (auto dense = dyn_cast<DenseElementsAttr>(value); dense && dense.isSplat())
    return DenseElementsAttr::get(packedType, dense.getSplatValue<Attribute>());
  std::optional<ArrayRef<char>> bytes = getConstantBytes(value);
  unsigned bits = type.getElementTypeBitWidth();
  if (!bytes || bits % 8 != 0)
    return nullptr;
  size_t elementBytes = bits / 8;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = shape.size();
  int64_t rows = shape[rank - 2], columns = shape[rank - 1];
  int64_t batches = type.getNumElements() / (rows * columns);
  size_t panelRow = width * elementBytes;
  std::vector<char> packed(bytes->size());
  char *out = packed.data();
  for (int64_t batch = 0; batch < batches; ++batch)
    for (int64_t panel = 0; panel < columns / width; ++panel)
      for (int64_t row = 0; row < rows; ++row, out += panelRow)
        std::memcpy(out,
                    bytes->data() +
                        ((batch * rows + row) * columns + panel * width) *
                            elementBytes,
                    panelRow);
  if (isa<DenseElementsAttr>(value))
    return DenseElementsAttr::getFromRawBuffer(packedType, packed);
  return DenseResourceElementsAttr::get(
      packedType, "packed",
      HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(packed),
                                                    alignof(std::max_align_t)));
}

/// The constant `value` is, looking through reshapes (they keep the
/// row-major order of the elements), or nullptr.
arith::ConstantOp getConstantSource(Value value) {
  Operation *producer = value.getDefiningOp();
  while (
      isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(producer))
    producer = producer->getOperand(0).getDefiningOp();
  return dyn_cast_or_null<arith::ConstantOp>(producer);
}

/// Builds the packed copy of `rhs` with panels of `width` columns: a
/// constant when `rhs` is one, else expand_shape + linalg.transpose, which
/// gets a parallel-only tile config so the thread pool shares the copy.
Value buildPacked(RewriterBase &rewriter, Location loc, Value rhs,
                  int64_t width, const CPUTargetInfo &target) {
  auto type = cast<RankedTensorType>(rhs.getType());
  RankedTensorType packedType = getPackedType(type, width);
  if (arith::ConstantOp constant = getConstantSource(rhs))
    if (TypedAttr folded =
            packConstant(constant.getValue(), type, packedType, width))
      return arith::ConstantOp::create(rewriter, loc, packedType, folded);
  // [..., K, N] -> [..., K, N / w, w] -> [..., N / w, K, w].
  int64_t rank = type.getRank();
  SmallVector<int64_t> expandedShape(type.getShape());
  expandedShape[rank - 1] = type.getShape()[rank - 1] / width;
  expandedShape.push_back(width);
  SmallVector<ReassociationIndices> groups;
  for (int64_t dim = 0; dim < rank - 1; ++dim)
    groups.push_back({dim});
  groups.push_back({rank - 1, rank});
  Value expanded = tensor::ExpandShapeOp::create(
      rewriter, loc,
      RankedTensorType::get(expandedShape, type.getElementType()), rhs, groups);
  SmallVector<int64_t> permutation = getOuterPermutation(rank);
  permutation.push_back(rank);
  Value init = tensor::EmptyOp::create(rewriter, loc, packedType.getShape(),
                                       packedType.getElementType());
  auto transpose =
      linalg::TransposeOp::create(rewriter, loc, expanded, init, permutation);
  if (std::optional<TileConfig> config = selectTileConfig(transpose, target))
    transpose->setAttr(kTileConfigAttrName,
                       config->toAttr(rewriter.getContext()));
  return transpose->getResult(0);
}

/// Makes `op`, a contraction whose config asks for a packed right-hand side,
/// read it through `linalg.unpack` of a packed copy. `packed` caches the
/// unpacks already built, keyed by operand and panel width.
void packRhs(RewriterBase &rewriter, linalg::LinalgOp op,
             const TileConfig &config, const CPUTargetInfo &target,
             DenseMap<std::pair<Value, int64_t>, Value> &packed) {
  std::optional<std::pair<unsigned, unsigned>> kn = getContractionKN(op);
  if (!kn)
    return;
  OpOperand *rhs = getPackableRhs(op, kn->first, kn->second);
  int64_t width = config.vector[kn->second];
  if (!rhs || width <= 1)
    return;
  auto type = dyn_cast<RankedTensorType>(rhs->get().getType());
  if (!type || !type.hasStaticShape() || type.getShape().back() % width != 0)
    return;
  Value &unpacked = packed[{rhs->get(), width}];
  if (!unpacked) {
    // Right after B, so that every contraction that reads B may share it.
    Location loc = rhs->get().getLoc();
    rewriter.setInsertionPointAfterValue(rhs->get());
    Value copy = buildPacked(rewriter, loc, rhs->get(), width, target);
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    int64_t rank = type.getRank();
    unpacked = linalg::UnPackOp::create(
        rewriter, loc, copy, init, /*innerDimsPos=*/{rank - 1},
        /*innerTiles=*/{rewriter.getIndexAttr(width)},
        getOuterPermutation(rank));
  }
  rewriter.modifyOpInPlace(op, [&] { rhs->set(unpacked); });
}

struct PackContractionOperandsPass
    : tessera::cpu::impl::PackContractionOperandsBase<
          PackContractionOperandsPass> {
  using Base::Base;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    CPUTargetInfo target;
    target.vectorWidth = vectorWidth;
    std::vector<std::pair<linalg::LinalgOp, TileConfig>> work;
    getOperation().walk([&](linalg::LinalgOp op) {
      std::optional<TileConfig> config =
          TileConfig::fromOp(op, op.getNumLoops());
      if (config && config->packRhs && op.hasPureTensorSemantics())
        work.emplace_back(op, *config);
    });
    DenseMap<std::pair<Value, int64_t>, Value> packed;
    for (auto &[op, config] : work)
      packRhs(rewriter, op, config, target, packed);
  }
};

//===----------------------------------------------------------------------===//
// The tile-level half
//===----------------------------------------------------------------------===//

/// `a + b` folded where both are constants.
OpFoldResult add(RewriterBase &rewriter, Location loc, OpFoldResult a,
                 OpFoldResult b) {
  AffineExpr d0, d1;
  bindDims(rewriter.getContext(), d0, d1);
  return affine::makeComposedFoldedAffineApply(rewriter, loc, d0 + d1, {a, b});
}

/// Whether `unpack` is the unpack of a packed right-hand side of rank
/// `rank` with panels of `width`.
bool isPackedRhs(linalg::UnPackOp unpack, int64_t rank, int64_t width) {
  return unpack.getDestType().getRank() == rank &&
         unpack.getInnerDimsPos() == ArrayRef<int64_t>{rank - 1} &&
         unpack.getStaticTiles() == ArrayRef<int64_t>{width} &&
         unpack.getOuterDimsPerm() == ArrayRef(getOuterPermutation(rank)) &&
         unpack.getSourceType().hasStaticShape();
}

} // namespace

FailureOr<Operation *> tessera::cpu::readPackedRhs(RewriterBase &rewriter,
                                                   Operation *tile, unsigned k,
                                                   unsigned n,
                                                   TileConfig &config) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(tile);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumDpsInits() != 1 ||
      !linalgOp.getBlock()->getOps<linalg::IndexOp>().empty())
    return failure();
  OpOperand *rhs = getPackableRhs(tile, k, n);
  int64_t width = config.vector[n];
  if (!rhs || width <= 1)
    return failure();
  auto sliceType = cast<RankedTensorType>(rhs->get().getType());
  int64_t rank = sliceType.getRank();
  if (!sliceType.hasStaticShape() || sliceType.getShape().back() % width != 0)
    return failure();

  // Walk up B's slices to the unpack, adding up their offsets.
  Location loc = tile->getLoc();
  rewriter.setInsertionPoint(tile);
  SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
  Value source = rhs->get();
  while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (!slice.hasUnitStride() || slice.getSourceType().getRank() != rank)
      return failure();
    for (auto [offset, sliceOffset] :
         llvm::zip(offsets, slice.getMixedOffsets()))
      offset = add(rewriter, loc, offset, sliceOffset);
    source = slice.getSource();
  }
  auto unpack = source.getDefiningOp<linalg::UnPackOp>();
  if (!unpack || !isPackedRhs(unpack, rank, width))
    return failure();

  // The same slice of the packed tensor: [..., n0 / w, k0, 0] of sizes
  // [..., tn / w, tk, w]; n0 is a multiple of w (selected so by
  // shouldPackRhs).
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  ArrayRef<int64_t> shape = sliceType.getShape();
  SmallVector<OpFoldResult> packedOffsets(offsets.begin(), offsets.end() - 2);
  SmallVector<OpFoldResult> packedSizes;
  for (int64_t size : shape.drop_back(2))
    packedSizes.push_back(rewriter.getIndexAttr(size));
  packedOffsets.push_back(affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(width), {offsets[rank - 1]}));
  packedOffsets.push_back(offsets[rank - 2]);
  packedOffsets.push_back(rewriter.getIndexAttr(0));
  packedSizes.push_back(rewriter.getIndexAttr(shape[rank - 1] / width));
  packedSizes.push_back(rewriter.getIndexAttr(shape[rank - 2]));
  packedSizes.push_back(rewriter.getIndexAttr(width));
  SmallVector<OpFoldResult> strides(rank + 1, rewriter.getIndexAttr(1));
  Value packedSlice = tensor::ExtractSliceOp::create(
      rewriter, loc, unpack.getSource(), packedOffsets, packedSizes, strides);

  // The output, [..., tn] viewed as [..., tn / w, w].
  OpOperand *init = linalgOp.getDpsInitOperand(0);
  auto outType = cast<RankedTensorType>(init->get().getType());
  int64_t outRank = outType.getRank();
  SmallVector<int64_t> expandedShape(outType.getShape());
  expandedShape.back() /= width;
  expandedShape.push_back(width);
  SmallVector<ReassociationIndices> groups;
  for (int64_t dim = 0; dim < outRank - 1; ++dim)
    groups.push_back({dim});
  groups.push_back({outRank - 1, outRank});
  auto expandedType =
      RankedTensorType::get(expandedShape, outType.getElementType());
  Value expanded = tensor::ExpandShapeOp::create(rewriter, loc, expandedType,
                                                 init->get(), groups);

  // Maps over one more loop, the panel index p: B's (..., k, n) becomes
  // (..., p, k, n), the output's (..., n) becomes (..., p, n).
  unsigned numLoops = linalgOp.getNumLoops();
  MLIRContext *context = rewriter.getContext();
  AffineExpr panel = getAffineDimExpr(numLoops, context);
  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  for (OpOperand *input : linalgOp.getDpsInputOperands()) {
    SmallVector<AffineExpr> results(
        linalgOp.getMatchingIndexingMap(input).getResults());
    if (input == rhs) {
      results.insert(results.end() - 2, panel);
      inputs.push_back(packedSlice);
    } else {
      inputs.push_back(input->get());
    }
    maps.push_back(AffineMap::get(numLoops + 1, 0, results, context));
  }
  SmallVector<AffineExpr> outResults(
      linalgOp.getMatchingIndexingMap(init).getResults());
  outResults.insert(outResults.end() - 1, panel);
  maps.push_back(AffineMap::get(numLoops + 1, 0, outResults, context));
  SmallVector<utils::IteratorType> iterators = linalgOp.getIteratorTypesArray();
  iterators.push_back(utils::IteratorType::parallel);

  auto packedOp = linalg::GenericOp::create(rewriter, loc, expandedType, inputs,
                                            expanded, maps, iterators);
  rewriter.cloneRegionBefore(tile->getRegion(0), packedOp.getRegion(),
                             packedOp.getRegion().begin());
  Value result = tensor::CollapseShapeOp::create(rewriter, loc, outType,
                                                 packedOp.getResult(0), groups);
  rewriter.replaceOp(tile, result);

  // The panel loop takes n's place in the register-tile order; n itself
  // now spans one register tile.
  config.parallel.push_back(0);
  config.reduction.push_back(0);
  config.vector.push_back(1);
  if (config.order.empty())
    config.order = llvm::to_vector(llvm::seq<int64_t>(0, numLoops));
  config.order.insert(llvm::find(config.order, static_cast<int64_t>(n)),
                      numLoops);
  return packedOp.getOperation();
}

void tessera::cpu::lowerRemainingUnpacks(RewriterBase &rewriter,
                                         Operation *root) {
  SmallVector<linalg::UnPackOp> unpacks;
  root->walk([&](linalg::UnPackOp unpack) { unpacks.push_back(unpack); });
  for (linalg::UnPackOp unpack : unpacks) {
    if (!unpack->use_empty()) {
      rewriter.setInsertionPoint(unpack);
      // The lowering cannot fail on static shapes without padding.
      (void)linalg::lowerUnPack(rewriter, unpack);
      continue;
    }
    // The packed copy, if nothing else reads it, goes too: a tiled
    // transpose is an scf.forall, which DCE would not remove.
    Operation *producer = unpack.getSource().getDefiningOp();
    rewriter.eraseOp(unpack);
    if (producer && producer->use_empty() &&
        isa<scf::ForallOp, linalg::LinalgOp, arith::ConstantOp>(producer))
      rewriter.eraseOp(producer);
  }
}
