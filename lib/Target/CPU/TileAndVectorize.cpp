//===- TileAndVectorize.cpp - Tile and vectorize linalg ops on tensors ----===//
//
// Applies the `tessera.tile_config` of each linalg op with upstream
// machinery: scf::tileUsingSCF for the three levels (an scf.forall of
// parallel tiles, an scf.for over reduction cache tiles, scf.for loops over
// register tiles), loop peeling so that every register tile has a static
// shape, linalg::vectorize, then vector patterns that turn the register tile
// into a contraction whose accumulator is hoisted out of the reduction loop
// (LICM + loop-invariant subset hoisting) and lowered to vector.fma on
// outer products. A contraction's init (a bias broadcast or a fill) and its
// in-place epilogue (activation, residual add) are computed by its register
// tiles where that is valid, so the accumulator starts in registers, the
// epilogue is applied to it there and the output tile is written once, with
// the final value. The epilogue of a transposed product
// (tessera-transpose-narrow-contractions) gets 16 x 16 register tiles of its
// own, transposed in registers with shuffles. Everything
// happens on tensors: hoisting the accumulator relies on value semantics
// (see shared/FACTS.md).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/ConvertConvToIm2col.h"
#include "lib/Target/CPU/DepthwiseConv.h"
#include "lib/Target/CPU/EpilogueUtils.h"
#include "lib/Target/CPU/PackContractionOperands.h"
#include "lib/Target/CPU/Passes.h"
#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

#include <algorithm>

namespace tessera::cpu {
#define GEN_PASS_DEF_TILEANDVECTORIZE
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;
using namespace tessera::cpu;

namespace {

/// Marks the register tiles that still have to be vectorized.
constexpr StringLiteral kVectorizeAttrName = "tessera.vectorize";
/// Marks the tiles of a transposing epilogue: vectorized only where they
/// are whole kTransposeTile x kTransposeTile squares (or one row / column).
constexpr StringLiteral kVectorizeTransposeAttrName =
    "tessera.vectorize_transpose";
/// The register tile of a transposing epilogue along each of its two
/// innermost loops: a 16 x 16 f32 transpose is 64 register shuffles
/// (VectorTransposeLowering::Shuffle16x16), one AVX-512 register per row.
constexpr int64_t kTransposeTile = 16;

/// Tiles `op` with `sizes` (all zero: no tiling) using loops of `loopType`,
/// replaces it, and returns the tiled op and the generated loops.
FailureOr<std::pair<Operation *, SmallVector<LoopLikeOpInterface>>>
tileLevel(RewriterBase &rewriter, TilingInterface op, ArrayRef<int64_t> sizes,
          scf::SCFTilingOptions::LoopType loopType,
          ArrayRef<int64_t> order = {}) {
  if (llvm::all_of(sizes, [](int64_t size) { return size == 0; }))
    return std::make_pair(op.getOperation(),
                          SmallVector<LoopLikeOpInterface>());
  scf::SCFTilingOptions options;
  options.setLoopType(loopType);
  if (!order.empty())
    options.setInterchange(order);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return std::make_pair(result->tiledOps.back(), result->loops);
}

/// Peels every scf.for of a register-tile loop nest whose step does not
/// divide its trip count, so that the main part has static tile sizes; the
/// remainder iterations are peeled recursively the same way.
void peelNest(RewriterBase &rewriter, scf::ForOp loop) {
  scf::ForOp partial;
  SmallVector<scf::ForOp> nested;
  if (succeeded(scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial)) &&
      partial)
    partial.getBody()->walk<WalkOrder::PreOrder>([&](scf::ForOp inner) {
      nested.push_back(inner);
      return WalkResult::skip();
    });
  loop.getBody()->walk<WalkOrder::PreOrder>([&](scf::ForOp inner) {
    nested.push_back(inner);
    return WalkResult::skip();
  });
  for (scf::ForOp inner : nested)
    peelNest(rewriter, inner);
}

/// Whether `op` only materializes a contraction's initial value: a fill, or
/// a generic that copies (broadcasts) one of its inputs. Such an op costs
/// nothing to recompute per tile, and its vector form is a register value.
bool isInitMaterialization(linalg::LinalgOp op) {
  if (isa<linalg::FillOp>(op.getOperation()))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumReductionLoops() != 0 ||
      generic.getNumDpsInits() != 1 ||
      !llvm::hasSingleElement(generic.getBody()->getOperations()))
    return false;
  auto yielded = dyn_cast<BlockArgument>(
      generic.getBody()->getTerminator()->getOperand(0));
  return yielded && yielded.getArgNumber() < generic.getNumDpsInputs();
}

/// Whether the register tiles of `contraction`, a cache tile tiled with
/// `config`, can compute its output whole: the cache tile runs the whole
/// reduction (no reduction loop around it re-reading its partial sums), at
/// least one parallel loop is register-tiled, and the register tile's
/// reduction loop is innermost, so that ops fused into the parallel
/// register loops (the init before it, the epilogue after it) run once per
/// output tile.
bool registerTilesComputeOutput(linalg::LinalgOp contraction,
                                const TileConfig &config) {
  if (contraction.getNumDpsInits() != 1 ||
      llvm::any_of(config.reduction, [](int64_t size) { return size != 0; }))
    return false;
  SmallVector<utils::IteratorType> iterators =
      contraction.getIteratorTypesArray();
  if (llvm::none_of(llvm::enumerate(iterators), [&](auto entry) {
        return !linalg::isReductionIterator(entry.value()) &&
               config.vector[entry.index()] != 0;
      }))
    return false;
  SmallVector<int64_t> order = config.order;
  if (order.empty())
    order = llvm::to_vector(llvm::seq<int64_t>(0, iterators.size()));
  // Register-tiled loops in loop-nest order: the reduction ones must come
  // after every parallel one.
  bool seenReduction = false;
  for (int64_t loop : order) {
    if (config.vector[loop] == 0)
      continue;
    bool isReduction = linalg::isReductionIterator(iterators[loop]);
    if (!isReduction && seenReduction)
      return false;
    seenReduction |= isReduction;
  }
  return true;
}

/// Returns the producer of `tile`'s init when it is an op without reduction
/// loops (a bias broadcast or a fill) that its register tiles can compute
/// themselves (registerTilesComputeOutput), else null.
linalg::LinalgOp getRegisterInitProducer(Operation *tile,
                                         const TileConfig &config) {
  auto contraction = dyn_cast<linalg::LinalgOp>(tile);
  if (!contraction || !registerTilesComputeOutput(contraction, config))
    return nullptr;
  auto producer = contraction.getDpsInitOperand(0)
                      ->get()
                      .getDefiningOp<linalg::LinalgOp>();
  // A producer that still has a config is an op of the pass's work list
  // (not a copy fused into this parallel tile): leave it to be tiled there.
  if (!producer || !isInitMaterialization(producer) ||
      producer->hasAttr(kTileConfigAttrName))
    return nullptr;
  return producer;
}

/// For each loop of `contraction`, the loop of `epilogue` that iterates the
/// same output dimension (-1 for reduction loops), when `epilogue` updates
/// `contraction`'s result in place (its init, identity map, the only use)
/// and has one loop per output dimension; else failure.
FailureOr<SmallVector<int64_t>> getEpilogueLoops(linalg::LinalgOp contraction,
                                                 linalg::GenericOp epilogue) {
  Value result = contraction->getResult(0);
  OpOperand *init = epilogue.getDpsInitOperand(0);
  if (init->get() != result || !result.hasOneUse() ||
      !epilogue.getMatchingIndexingMap(init).isIdentity())
    return failure();
  AffineMap out =
      contraction.getMatchingIndexingMap(contraction.getDpsInitOperand(0));
  if (!out.isProjectedPermutation() ||
      out.getNumResults() != epilogue.getNumLoops() ||
      out.getNumResults() != contraction.getNumParallelLoops())
    return failure();
  SmallVector<int64_t> loops(contraction.getNumLoops(), -1);
  for (unsigned j = 0, e = out.getNumResults(); j < e; ++j)
    loops[out.getDimPosition(j)] = j;
  return loops;
}

/// Register-tiles `cacheTile` together with the ops that its register tiles
/// can compute themselves: `producer`, the init (a bias broadcast or a
/// fill; may be null, see getRegisterInitProducer) and `epilogue`, an
/// in-place activation / residual add of its result (may be null, see
/// getEpilogueLoops). The parallel register loops are tiled on the last op
/// of that chain and the others are fused into them, so that after
/// vectorization the accumulator starts as a vector (the broadcast bias, a
/// splat), the epilogue is applied to it in registers and the output tile
/// is written once, with the final value, instead of being initialized in
/// memory, read back and updated by a separate pass over the parallel
/// tile. The reduction register loop is then tiled inside. Returns the
/// contraction's register tile and the loops, outermost first; marks the
/// fused tiles for vectorization. A failure may leave the IR changed: it is
/// an error, not a reason to fall back.
FailureOr<std::pair<Operation *, SmallVector<LoopLikeOpInterface>>>
tileRegistersWithFusion(RewriterBase &rewriter, TilingInterface cacheTile,
                        linalg::LinalgOp producer, linalg::GenericOp epilogue,
                        const TileConfig &config) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  auto contraction = cast<linalg::LinalgOp>(cacheTile.getOperation());
  SmallVector<utils::IteratorType> iterators =
      contraction.getIteratorTypesArray();
  SmallVector<int64_t> parallelSizes = config.vector;
  SmallVector<int64_t> reductionSizes(parallelSizes.size(), 0);
  for (auto [loop, iterator] : llvm::enumerate(iterators))
    if (linalg::isReductionIterator(iterator))
      std::swap(parallelSizes[loop], reductionSizes[loop]);
  SmallVector<int64_t> order = config.order;

  // Tiling the epilogue instead: the same sizes and order, on its loops.
  Operation *root = cacheTile.getOperation();
  if (epilogue) {
    FailureOr<SmallVector<int64_t>> loops =
        getEpilogueLoops(contraction, epilogue);
    if (failed(loops))
      return failure();
    SmallVector<int64_t> sizes(epilogue.getNumLoops(), 0);
    for (auto [loop, epilogueLoop] : llvm::enumerate(*loops))
      if (epilogueLoop >= 0)
        sizes[epilogueLoop] = parallelSizes[loop];
    parallelSizes = sizes;
    SmallVector<int64_t> epilogueOrder;
    for (int64_t loop : order)
      if ((*loops)[loop] >= 0)
        epilogueOrder.push_back((*loops)[loop]);
    order = epilogueOrder;
    root = epilogue.getOperation();
  }

  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setLoopType(LoopType::ForOp);
  if (!order.empty())
    options.tilingOptions.setInterchange(order);
  options.tilingOptions.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), parallelSizes));
  Operation *producerOp = producer ? producer.getOperation() : nullptr;
  Operation *contractionOp = cacheTile.getOperation();
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult value,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *owner = value.getOwner();
        if ((producerOp && owner == producerOp) ||
            (owner == contractionOp && root != contractionOp))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root), options);
  if (failed(result))
    return failure();
  if (root != contractionOp && !result->fusedProducers.contains(contractionOp))
    return root->emitOpError("fusion with its contraction's register tiles "
                             "failed");
  for (OpResult value : root->getResults())
    rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));
  rewriter.eraseOp(root);
  for (Operation *fused : result->fusedProducers)
    if (fused->use_empty())
      rewriter.eraseOp(fused);
  // The contraction's tile gets the reduction loop; the others (init,
  // epilogue) are vectorized as they are.
  Operation *tile = nullptr;
  for (Operation *fusedTile : result->tiledAndFusedOps) {
    auto linalgTile = dyn_cast<linalg::LinalgOp>(fusedTile);
    if (!tile && linalgTile && linalgTile.getNumReductionLoops() > 0) {
      tile = fusedTile;
      continue;
    }
    fusedTile->removeAttr(kTileConfigAttrName);
    fusedTile->setAttr(kVectorizeAttrName, rewriter.getUnitAttr());
  }
  if (!tile)
    return failure();
  SmallVector<LoopLikeOpInterface> loops = result->loops;
  auto inner = tileLevel(rewriter, cast<TilingInterface>(tile), reductionSizes,
                         LoopType::ForOp);
  if (failed(inner))
    return failure();
  llvm::append_range(loops, inner->second);
  return std::make_pair(inner->first, loops);
}

/// Whether `op` is an elementwise op that reads an input with its two
/// innermost loops swapped: the epilogue of a contraction that
/// tessera-transpose-narrow-contractions computed as outT[n, p, f], which
/// writes out[n, f, p]. Static shapes, identity output, all maps
/// projected permutations.
bool isTransposingEpilogue(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.hasDynamicShape() || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() < 2 ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      !cast<linalg::LinalgOp>(op).hasOnlyProjectedPermutations() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return false;
  unsigned last = generic.getNumLoops() - 1;
  return llvm::any_of(generic.getDpsInputOperands(), [&](OpOperand *input) {
    AffineMap map = generic.getMatchingIndexingMap(input);
    unsigned rank = map.getNumResults();
    return rank >= 2 && map.getDimPosition(rank - 1) == last - 1 &&
           map.getDimPosition(rank - 2) == last;
  });
}

/// Whether a tile marked kVectorizeTransposeAttrName is worth vector code:
/// its two innermost sizes are a whole square, or one of them is 1 (a
/// contiguous row of the product written as a column, or the reverse).
/// Other remainders (16 x 13) would become one shuffle of hundreds of lanes.
bool isVectorTransposeTile(linalg::LinalgOp tile) {
  SmallVector<int64_t> shape = tile.getStaticLoopRanges();
  int64_t rows = shape[shape.size() - 2], columns = shape.back();
  return (rows == kTransposeTile && columns == kTransposeTile) || rows == 1 ||
         columns == 1;
}

/// Tiles `epilogue` with `sizes` (scf.for loops) together with its init
/// when that only materializes the bias (a broadcast used by it alone), so
/// that the bias is a broadcast register; marks the tiles
/// kVectorizeTransposeAttrName. Returns the loops, outermost first.
FailureOr<SmallVector<LoopLikeOpInterface>>
tileTransposeTiles(RewriterBase &rewriter, linalg::GenericOp epilogue,
                   ArrayRef<int64_t> sizes) {
  Operation *init = epilogue.getDpsInitOperand(0)->get().getDefiningOp();
  auto initOp = dyn_cast_or_null<linalg::LinalgOp>(init);
  if (!initOp || !isInitMaterialization(initOp) ||
      !init->getResult(0).hasOneUse())
    init = nullptr;
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  options.tilingOptions.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult value,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (init && value.getOwner() == init)
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(epilogue);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(epilogue.getOperation()), options);
  if (failed(result))
    return failure();
  for (OpResult value : epilogue->getResults())
    rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));
  rewriter.eraseOp(epilogue);
  for (Operation *fused : result->fusedProducers)
    if (fused->use_empty())
      rewriter.eraseOp(fused);
  for (Operation *tile : result->tiledAndFusedOps) {
    tile->removeAttr(kTileConfigAttrName);
    tile->setAttr(kVectorizeTransposeAttrName, rewriter.getUnitAttr());
  }
  return result->loops;
}

/// Register-tiles `epilogue`, a tile of a transposing epilogue
/// (isTransposingEpilogue), into kTransposeTile x kTransposeTile squares of
/// its two innermost loops (1 along the others), peeled, and marks them for
/// vectorization: each square is 16 contiguous vector reads of the
/// transposed product, a register transpose and 16 vector writes, where
/// the scalar lowering read the product at a stride of F elements (LLVM's
/// loop vectorizer made that scatters: half the time of MobileNetV2's
/// transposed 1x1 layers). A remainder of fewer than 16 pixels is tiled
/// into columns: one vector read of the product each, written as a column.
LogicalResult tileTransposingEpilogue(RewriterBase &rewriter,
                                      linalg::GenericOp epilogue) {
  SmallVector<int64_t> bounds = epilogue.getStaticLoopRanges();
  size_t rank = bounds.size();
  SmallVector<int64_t> sizes(rank, 1);
  for (size_t loop = rank - 2; loop < rank; ++loop)
    sizes[loop] = std::min(kTransposeTile, bounds[loop]);
  Block *block = epilogue->getBlock();
  FailureOr<SmallVector<LoopLikeOpInterface>> loops =
      tileTransposeTiles(rewriter, epilogue, sizes);
  if (failed(loops))
    return failure();
  if (!loops->empty())
    if (auto outer = dyn_cast<scf::ForOp>(*loops->front()))
      peelNest(rewriter, outer);
  // The partial squares (16 x 7 after 3 x 16 of 55 pixels, 16 x 13 of a
  // 13-pixel tile): columns of one pixel.
  SmallVector<linalg::GenericOp> partial;
  for (Operation &op : *block)
    op.walk([&](linalg::GenericOp tile) {
      if (tile->hasAttr(kVectorizeTransposeAttrName) &&
          isTransposingEpilogue(tile) &&
          !isVectorTransposeTile(cast<linalg::LinalgOp>(tile.getOperation())))
        partial.push_back(tile);
    });
  SmallVector<int64_t> columns(rank, 0);
  columns.back() = 1;
  for (linalg::GenericOp tile : partial)
    if (failed(tileTransposeTiles(rewriter, tile, columns)))
      return failure();
  return success();
}

/// Tiles the reduction and register levels of `op`, a parallel tile (or the
/// whole op when it has no parallel level); marks the register tile for
/// vectorization. `epilogue`, when not null, is the tile of `op`'s in-place
/// epilogue in the same parallel tile; it is computed by the register tiles
/// where they compute the whole output (tileRegistersWithFusion), else it
/// stays a pass over the parallel tile.
LogicalResult tileInnerLevels(RewriterBase &rewriter, TilingInterface op,
                              const TileConfig &config,
                              linalg::GenericOp epilogue = nullptr) {
  using LoopType = scf::SCFTilingOptions::LoopType;
  std::optional<std::pair<unsigned, unsigned>> kn;
  if (config.packRhs)
    kn = getContractionKN(op);
  auto reduction = tileLevel(rewriter, op, config.reduction, LoopType::ForOp);
  if (failed(reduction))
    return op.emitOpError("reduction tiling failed");
  // A packed right-hand side: the cache tile reads its panels directly
  // (PackContractionOperands.h); its register tiles then step over panels.
  Operation *cacheTile = reduction->first;
  TileConfig registerConfig = config;
  if (kn)
    if (FailureOr<Operation *> packed = readPackedRhs(
            rewriter, cacheTile, kn->first, kn->second, registerConfig);
        succeeded(packed))
      cacheTile = *packed;
  // A cache tile that reads an im2col matrix computes its slice of it
  // (ConvertConvToIm2col.h).
  fuseIm2colTiles(rewriter, cacheTile, registerConfig);
  Location loc = cacheTile->getLoc();
  auto contraction = dyn_cast<linalg::LinalgOp>(cacheTile);
  linalg::LinalgOp producer =
      getRegisterInitProducer(cacheTile, registerConfig);
  // An epilogue that the register tiles cannot compute stays a pass over
  // the parallel tile; one that transposes the product back gets register
  // tiles of its own (after the contraction's).
  linalg::GenericOp transposing;
  if (epilogue && (!contraction ||
                   !registerTilesComputeOutput(contraction, registerConfig) ||
                   failed(getEpilogueLoops(contraction, epilogue)))) {
    if (isTransposingEpilogue(epilogue))
      transposing = epilogue;
    epilogue = nullptr;
  }
  FailureOr<std::pair<Operation *, SmallVector<LoopLikeOpInterface>>>
      registers = failure();
  if (producer || epilogue)
    registers =
        tileRegistersWithFusion(rewriter, cast<TilingInterface>(cacheTile),
                                producer, epilogue, registerConfig);
  else
    registers =
        tileLevel(rewriter, cast<TilingInterface>(cacheTile),
                  registerConfig.vector, LoopType::ForOp, registerConfig.order);
  if (failed(registers))
    return emitError(loc, "register tiling failed");
  Operation *tile = registers->first;
  tile->removeAttr(kTileConfigAttrName);
  if (!registers->second.empty()) {
    tile->setAttr(kVectorizeAttrName, rewriter.getUnitAttr());
    if (auto outer = dyn_cast<scf::ForOp>(*registers->second.front()))
      peelNest(rewriter, outer);
  } // Else no register tile: the scalar lowering handles it.
  if (transposing && failed(tileTransposingEpilogue(rewriter, transposing)))
    return transposing.emitOpError("register tiling failed");
  return success();
}

/// Parallel-tiles a contraction without an epilogue whose init is a bias
/// broadcast or a fill used by it alone, fusing that producer into its
/// scf.forall: each parallel tile computes its slice of the init, which its
/// register tiles then take over (tileRegistersWithFusion). Fails (changing
/// nothing) when the init is not such a producer; the erased producer is
/// added to `erased`.
FailureOr<std::pair<Operation *, SmallVector<LoopLikeOpInterface>>>
tileParallelWithInit(RewriterBase &rewriter, TilingInterface op,
                     const TileConfig &config, DenseSet<Operation *> &erased) {
  auto contraction = cast<linalg::LinalgOp>(op.getOperation());
  if (contraction.getNumReductionLoops() == 0 ||
      contraction.getNumDpsInits() != 1 ||
      llvm::all_of(config.parallel, [](int64_t size) { return size == 0; }))
    return failure();
  Value init = contraction.getDpsInitOperand(0)->get();
  auto producer = init.getDefiningOp<linalg::LinalgOp>();
  if (!producer || !isInitMaterialization(producer) || !init.hasOneUse())
    return failure();
  Operation *producerOp = producer.getOperation();
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.tilingOptions.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), config.parallel));
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult value,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (value.getOwner() == producerOp)
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, op, options);
  if (failed(result))
    return failure();
  for (OpResult value : op->getResults())
    rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));
  rewriter.eraseOp(op);
  for (Operation *fused : result->fusedProducers)
    if (fused->use_empty()) {
      erased.insert(fused);
      rewriter.eraseOp(fused);
    }
  for (Operation *tile : result->tiledAndFusedOps)
    if (tile != result->tiledAndFusedOps.front())
      tile->removeAttr(kTileConfigAttrName);
  return std::make_pair(result->tiledAndFusedOps.front(), result->loops);
}

/// Tiles one op at the three levels of its config.
LogicalResult tileOp(RewriterBase &rewriter, TilingInterface op,
                     const TileConfig &config, DenseSet<Operation *> &erased) {
  auto parallel = tileParallelWithInit(rewriter, op, config, erased);
  if (failed(parallel))
    parallel = tileLevel(rewriter, op, config.parallel,
                         scf::SCFTilingOptions::LoopType::ForallOp);
  if (failed(parallel))
    return op.emitOpError("parallel tiling failed");
  // An im2col copy computed whole: each parallel tile copies vector rows
  // (ConvertConvToIm2col.h) instead of taking the scalar lowering.
  auto isSet = [](int64_t size) { return size != 0; };
  bool innerTiles = llvm::any_of(config.reduction, isSet) ||
                    llvm::any_of(config.vector, isSet);
  if (!innerTiles &&
      succeeded(vectorizeIm2colCopyRows(rewriter, parallel->first)))
    return success();
  // The epilogue of a transposed product that is not fused with it (the
  // product of padded channels is read through a slice): register tiles of
  // its own in each parallel tile.
  if (!innerTiles && isTransposingEpilogue(parallel->first))
    return tileTransposingEpilogue(
        rewriter, cast<linalg::GenericOp>(parallel->first));
  return tileInnerLevels(rewriter, cast<TilingInterface>(parallel->first),
                         config);
}

/// Tiles a contraction together with its epilogue and its init producer (a
/// bias broadcast or a fill): the epilogue is tiled with the contraction's
/// parallel tiles and the other two are fused into that scf.forall, so each
/// parallel tile computes bias, product and activation on one output tile
/// that stays in cache. The contraction's tile then gets its reduction and
/// register levels.
LogicalResult tileWithEpilogue(RewriterBase &rewriter,
                               linalg::LinalgOp contraction,
                               linalg::GenericOp epilogue, OpOperand *use,
                               const TileConfig &config,
                               DenseSet<Operation *> &erased) {
  // Result dimension j of the contraction is loop `contractionOut(j)` of the
  // contraction and loop `useMap(j)` of the epilogue.
  AffineMap contractionOut =
      contraction.getMatchingIndexingMap(contraction.getDpsInitOperand(0));
  AffineMap useMap = epilogue.getMatchingIndexingMap(use);
  SmallVector<int64_t> sizes(epilogue.getNumLoops(), 0);
  for (unsigned j = 0, e = contractionOut.getNumResults(); j < e; ++j)
    sizes[useMap.getDimPosition(j)] =
        config.parallel[contractionOut.getDimPosition(j)];
  // Fused besides the contraction: its init (a fill or bias broadcast) and
  // the epilogue's init when that is a bias broadcast.
  Operation *initProducer =
      contraction.getDpsInitOperand(0)->get().getDefiningOp();
  Operation *epilogueInitProducer =
      epilogue.getDpsInitOperand(0)->get().getDefiningOp();
  if (epilogueInitProducer == contraction.getOperation())
    epilogueInitProducer = nullptr;
  Operation *contractionOp = contraction.getOperation();
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.tilingOptions.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *owner = producer.getOwner();
        bool isInit = owner == initProducer || owner == epilogueInitProducer;
        if (owner == contractionOp ||
            (isInit && isa<linalg::LinalgOp>(owner) &&
             cast<linalg::LinalgOp>(owner).getNumReductionLoops() == 0))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(epilogue);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(epilogue.getOperation()), options);
  if (failed(result) || !result->fusedProducers.contains(contractionOp))
    return epilogue.emitOpError("fusion with its contraction failed");
  for (OpResult value : epilogue->getResults())
    rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));

  // The fused tiles keep copies of the originals' attributes: only the
  // contraction's tile is tiled further.
  Operation *contractionTile = nullptr;
  for (Operation *tile : result->tiledAndFusedOps) {
    auto linalgTile = dyn_cast<linalg::LinalgOp>(tile);
    if (linalgTile && linalgTile.getNumReductionLoops() > 0 &&
        tile->getName() == contractionOp->getName())
      contractionTile = tile;
    else
      tile->removeAttr(kTileConfigAttrName);
  }
  for (Operation *producer : llvm::reverse(result->fusedProducers))
    if (producer->use_empty()) {
      erased.insert(producer);
      rewriter.eraseOp(producer);
    }
  if (epilogue->use_empty()) {
    erased.insert(epilogue);
    rewriter.eraseOp(epilogue);
  }
  if (!contractionTile)
    return epilogue.emitOpError("fused contraction tile not found");
  // The epilogue's tile, the root of the fusion, is a candidate for the
  // register tiles (tileInnerLevels checks that it updates the contraction's
  // tile in place).
  auto epilogueTile =
      dyn_cast<linalg::GenericOp>(result->tiledAndFusedOps.front());
  return tileInnerLevels(rewriter, cast<TilingInterface>(contractionTile),
                         config, epilogueTile);
}

/// Moves loop-invariant code and loop-invariant subsets (the accumulator
/// tile of a reduction loop) out of every loop, innermost first.
void hoistInvariants(RewriterBase &rewriter, Operation *root) {
  SmallVector<LoopLikeOpInterface> loops;
  root->walk([&](LoopLikeOpInterface loop) { loops.push_back(loop); });
  for (LoopLikeOpInterface loop : loops) {
    moveLoopInvariantCode(loop);
    if (!isa<scf::ForOp>(loop.getOperation()))
      continue;
    // Each round hoists one level of subsets (the tensor slice of the
    // accumulator, then the vector transfers on it).
    for (int round = 0; round < 3; ++round)
      loop = hoistLoopInvariantSubsets(rewriter, loop);
  }
}

/// A greedy rewrite that did not converge is a compiler bug: say which
/// step, so that the failure is not silent.
void emitNonConvergence(func::FuncOp func, StringRef step) {
  func.emitError("internal error: tessera-tile-and-vectorize: ")
      << step << " did not converge";
}

struct TileAndVectorizePass
    : tessera::cpu::impl::TileAndVectorizeBase<TileAndVectorizePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();
    IRRewriter rewriter(context);

    // 1. Tile every op that carries a config.
    std::vector<std::pair<TilingInterface, TileConfig>> work;
    WalkResult walk = func.walk([&](linalg::LinalgOp op) {
      auto attr = op->getAttrOfType<DictionaryAttr>(kTileConfigAttrName);
      if (!attr)
        return WalkResult::advance();
      std::optional<TileConfig> config =
          TileConfig::fromAttr(attr, op.getNumLoops());
      if (!config) {
        op.emitOpError("invalid '")
            << kTileConfigAttrName
            << "': expected {parallel, reduction, vector} arrays of "
            << op.getNumLoops() << " non-negative sizes";
        return WalkResult::interrupt();
      }
      work.emplace_back(cast<TilingInterface>(op.getOperation()), *config);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    // Contractions with an in-place epilogue first: their fused tiles take
    // the epilogue's and the bias's places, whose own configs are dropped.
    // The ops each fusion erased: the contraction, its epilogue and the
    // producers fused into them; they are skipped below.
    DenseSet<Operation *> erased;
    for (auto &[op, config] : work) {
      if (erased.contains(op))
        continue;
      auto contraction = cast<linalg::LinalgOp>(op.getOperation());
      if (contraction.getNumReductionLoops() == 0)
        continue;
      OpOperand *use = nullptr;
      linalg::GenericOp epilogue = getEpilogue(contraction, use);
      if (!epilogue ||
          llvm::all_of(config.parallel, [](int64_t size) { return size == 0; }))
        continue;
      if (failed(tileWithEpilogue(rewriter, contraction, epilogue, use, config,
                                  erased)))
        return signalPassFailure();
    }
    // Contractions before the other ops: their cache tiles compute their
    // slices of an im2col copy (fuseIm2colTiles), which must still be a
    // linalg op then, not the scf.forall of its own parallel tiles.
    std::stable_partition(work.begin(), work.end(), [&](auto &entry) {
      Operation *op = entry.first.getOperation();
      return !erased.contains(op) &&
             cast<linalg::LinalgOp>(op).getNumReductionLoops() > 0;
    });
    for (auto &[op, config] : work)
      if (!erased.contains(op) &&
          failed(tileOp(rewriter, op, config, erased)))
        return signalPassFailure();
    lowerRemainingUnpacks(rewriter, func);

    // 2. Fold the peeled bounds into static tile shapes.
    {
      RewritePatternSet patterns(context);
      linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
      scf::populateSCFForLoopCanonicalizationPatterns(patterns);
      tensor::populateFoldTensorEmptyPatterns(patterns);
      for (Dialect *dialect : context->getLoadedDialects())
        dialect->getCanonicalizationPatterns(patterns);
      if (failed(applyPatternsGreedily(func, std::move(patterns)))) {
        emitNonConvergence(func, "folding the peeled tile bounds");
        return signalPassFailure();
      }
    }

    // 3. Vectorize the register tiles whose shape is static; the others
    // (if any) stay linalg ops and take the scalar lowering later.
    SmallVector<linalg::LinalgOp> tiles;
    func.walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kVectorizeAttrName) ||
          op->hasAttr(kVectorizeTransposeAttrName))
        tiles.push_back(op);
    });
    for (linalg::LinalgOp tile : tiles) {
      tile->removeAttr(kVectorizeAttrName);
      if (tile.hasDynamicShape())
        continue;
      if (tile->removeAttr(kVectorizeTransposeAttrName) &&
          !isVectorTransposeTile(tile))
        continue;
      rewriter.setInsertionPoint(tile);
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, tile);
      if (failed(result))
        continue;
      rewriter.replaceOp(tile, result->replacements);
    }

    // 4. Form vector.contract, then keep the accumulator in registers across
    // the reduction loop.
    {
      RewritePatternSet patterns(context);
      vector::populateVectorReductionToContractPatterns(patterns);
      populateStridedRowReadPatterns(patterns); // DepthwiseConv.h
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      vector::populateSinkVectorOpsPatterns(patterns);
      for (Dialect *dialect : context->getLoadedDialects())
        dialect->getCanonicalizationPatterns(patterns);
      if (failed(applyPatternsGreedily(func, std::move(patterns)))) {
        emitNonConvergence(func, "forming vector.contract");
        return signalPassFailure();
      }
    }
    hoistInvariants(rewriter, func);

    // 4b. The 16 x 16 transposes of transposing epilogues as register
    // shuffles; step 5 lowers the others element by element.
    {
      SmallVector<Operation *> squares;
      func.walk([&](vector::TransposeOp transpose) {
        VectorType type = transpose.getSourceVectorType();
        SmallVector<int64_t> nonUnit;
        for (int64_t size : type.getShape())
          if (size != 1)
            nonUnit.push_back(size);
        if (type.getElementType().isF32() &&
            nonUnit == SmallVector<int64_t>{kTransposeTile, kTransposeTile})
          squares.push_back(transpose);
      });
      RewritePatternSet patterns(context);
      vector::populateVectorTransposeLoweringPatterns(
          patterns, vector::VectorTransposeLowering::Shuffle16x16);
      GreedyRewriteConfig config;
      config.setStrictness(GreedyRewriteStrictness::ExistingOps);
      if (!squares.empty() &&
          failed(applyOpPatternsGreedily(squares, std::move(patterns),
                                         config))) {
        emitNonConvergence(func, "lowering 16x16 transposes");
        return signalPassFailure();
      }
    }

    // 5. Contractions to outer products to FMAs on vectors of the
    // contiguous dimension.
    {
      RewritePatternSet patterns(context);
      vector::populateVectorContractLoweringPatterns(
          patterns, vector::VectorContractLowering::OuterProduct);
      vector::populateVectorOuterProductLoweringPatterns(patterns);
      vector::populateVectorTransposeLoweringPatterns(
          patterns, vector::VectorTransposeLowering::EltWise);
      vector::populateVectorBroadcastLoweringPatterns(patterns);
      vector::populateVectorMultiReductionLoweringPatterns(
          patterns, vector::VectorMultiReductionLowering::InnerParallel);
      vector::populateVectorShapeCastLoweringPatterns(patterns);
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      // Drops the loop-carried tensors that hoisting left unused.
      scf::ForOp::getCanonicalizationPatterns(patterns, context);
      for (RegisteredOperationName name :
           context->getRegisteredOperationsByDialect("vector"))
        name.getCanonicalizationPatterns(patterns, context);
      if (failed(applyPatternsGreedily(func, std::move(patterns)))) {
        emitNonConvergence(func, "lowering contractions to FMAs");
        return signalPassFailure();
      }
    }

    // 6. An epilogue computed by the register tiles writes its result over
    // the micro-kernel's write of the same tile: keep only the last write.
    // (Step 5 forwards the epilogue's read of the first write, but its
    // worklist does not revisit the second write afterwards.)
    {
      RewritePatternSet patterns(context);
      vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
      if (failed(applyPatternsGreedily(func, std::move(patterns)))) {
        emitNonConvergence(func, "folding the epilogue's writes");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
