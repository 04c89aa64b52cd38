//===- TileConfig.cpp - Tile configurations of CPU kernels ----------------===//
//
// The attribute form of a TileConfig and the heuristic that picks one. The
// heuristic follows the register-blocked GEMM recipe measured in
// shared/FACTS.md: an 8 x (2 vector widths) accumulator tile held in
// registers across a unit-step reduction loop, inside a cache tile of at
// most 256 reduction steps, inside parallel tiles of at most 64 x 256 that
// the runtime's thread pool runs. Sizes that divide the loop bounds are
// preferred so that tiles stay static; a register tile that does not divide
// its parallel tile leaves a smaller remainder tile after peeling.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/TileConfig.h"
#include "lib/Target/CPU/ConvertConvToIm2col.h"
#include "lib/Target/CPU/DepthwiseConv.h"
#include "lib/Target/CPU/MulAddContraction.h"
#include "cost-model/HardwareProfile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;
using namespace tessera::cpu;
namespace costmodel = tessera::costmodel;

DictionaryAttr TileConfig::toAttr(MLIRContext *context) const {
  Builder b(context);
  SmallVector<NamedAttribute> fields = {
      b.getNamedAttr("parallel", b.getDenseI64ArrayAttr(parallel)),
      b.getNamedAttr("reduction", b.getDenseI64ArrayAttr(reduction)),
      b.getNamedAttr("vector", b.getDenseI64ArrayAttr(vector)),
  };
  if (!order.empty())
    fields.push_back(b.getNamedAttr("order", b.getDenseI64ArrayAttr(order)));
  if (packRhs)
    fields.push_back(b.getNamedAttr("pack_rhs", b.getUnitAttr()));
  return b.getDictionaryAttr(fields);
}

std::optional<TileConfig> TileConfig::fromOp(Operation *op,
                                             unsigned numLoops) {
  auto attr = op->getAttrOfType<DictionaryAttr>(kTileConfigAttrName);
  if (!attr)
    return std::nullopt;
  return fromAttr(attr, numLoops);
}

std::optional<TileConfig> TileConfig::fromAttr(DictionaryAttr attr,
                                               unsigned numLoops) {
  TileConfig config;
  auto read = [&](StringRef name, SmallVector<int64_t> &sizes) {
    auto array = attr.getAs<DenseI64ArrayAttr>(name);
    if (!array || array.size() != static_cast<int64_t>(numLoops))
      return false;
    sizes.assign(array.asArrayRef().begin(), array.asArrayRef().end());
    return llvm::all_of(sizes, [](int64_t size) { return size >= 0; });
  };
  if (!read("parallel", config.parallel) ||
      !read("reduction", config.reduction) || !read("vector", config.vector))
    return std::nullopt;
  if (attr.get("order")) {
    if (!read("order", config.order))
      return std::nullopt;
    // It must be a permutation of the loops.
    SmallVector<bool> seen(numLoops, false);
    for (int64_t loop : config.order) {
      if (loop >= static_cast<int64_t>(numLoops) || seen[loop])
        return std::nullopt;
      seen[loop] = true;
    }
  }
  if (Attribute pack = attr.get("pack_rhs")) {
    auto flag = dyn_cast<BoolAttr>(pack);
    if (!isa<UnitAttr>(pack) && !flag)
      return std::nullopt;
    config.packRhs = !flag || flag.getValue();
  }
  return config;
}

/// The largest divisor of `n` that is at most `limit` and a multiple of
/// `multipleOf`, or 0 if there is none.
static int64_t largestDivisor(int64_t n, int64_t limit, int64_t multipleOf) {
  for (int64_t d = std::min(n, limit); d >= 1; --d)
    if (n % d == 0 && d % multipleOf == 0)
      return d;
  return 0;
}

/// The register tile along the vectorized dimension: two vector registers
/// if possible, else one, chosen so that the peeled remainder is a power of
/// two (odd vector lengths such as 17 lower to shuffles and spills). Where
/// only half a register would leave such a remainder (121 and 169 pixels,
/// SqueezeNet's 11x11 tiles and 13x13 maps: 8 lanes, remainder 1), one
/// register with its odd remainder (9) is faster: full-width FMAs on 112 of
/// the 121 columns (SqueezeNet 1.1 -7% at one thread). 2 * width with any
/// remainder if neither applies.
static int64_t selectVectorTile(int64_t tileN, int64_t width) {
  if (tileN <= 2 * width)
    return tileN;
  auto powerOfTwoRemainder = [&](int64_t size) {
    int64_t remainder = tileN % size;
    return size > 0 && (remainder & (remainder - 1)) == 0;
  };
  for (int64_t size : {2 * width, width})
    if (powerOfTwoRemainder(size))
      return size;
  if (powerOfTwoRemainder(width / 2))
    return width;
  return 2 * width;
}

/// The most rows of accumulators a register tile of two vectors per row
/// takes with `width`-lane vectors: all registers but the two B vectors and
/// a broadcast or two, so 14 rows (28 of the 32 AVX-512 registers), 6 with
/// AVX2's 16.
static int64_t maxRegisterRows(int64_t width) {
  return (costmodel::defaultVectorRegisters(width) - 4) / 2;
}

/// Whether the rules measured with AVX2's 16 registers apply (at most 6
/// register rows fit), the AVX-512 ones otherwise; the cost model's
/// candidates ask the same question.
static bool hasFewRegisterRows(int64_t width) {
  return costmodel::hasFewVectorRegisters(
      costmodel::defaultVectorRegisters(width));
}

/// The register tile along m with AVX2's 16 registers, where at most
/// `maxRows` (6) rows of two vectors fit beside the B vectors: too few to
/// insist on a divisor of the parallel tile (64 rows as 16 tiles of 4 rows
/// kept SGEMM 1024^3 at 60% of peak; 10 tiles of 6 rows and a peeled 4-row
/// tile are faster). So the fewest register tiles of 4 to `maxRows` rows, a
/// divisor of `tileM` on ties, then the most rows.
static int64_t selectFewRegisterRows(int64_t tileM, int64_t maxRows) {
  if (tileM <= maxRows)
    return tileM;
  int64_t best = 0, bestTiles = 0;
  for (int64_t rows = maxRows; rows >= 4; --rows) {
    int64_t tiles = llvm::divideCeil(tileM, rows);
    bool better = !best || tiles < bestTiles ||
                  (tiles == bestTiles && tileM % best != 0 && tileM % rows == 0);
    if (better) {
      best = rows;
      bestTiles = tiles;
    }
  }
  return best;
}

/// The register tile along m for a parallel tile of `tileM` rows. With
/// AVX-512: up to eight rows that divide it (49 -> 7); where that is fewer
/// than seven, the largest divisor of up to maxRegisterRows (13 -> 13,
/// 27 -> 9, 55 -> 11: the pixel tiles of transposed 13x13, 27x27 and 55x55
/// convolutions, which got 8 + 5, 8 + 8 + 8 + 3 and 5-row tiles, so fewer
/// FMAs per loaded B vector; SqueezeNet's 13x13 classifier -13%); else 8
/// rows and a peeled remainder. With AVX2: selectFewRegisterRows (eight
/// rows of two vectors took all 16 registers and spilled: SGEMM 1024^3 at
/// 29% of peak).
static int64_t selectRegisterRows(int64_t tileM, int64_t width) {
  if (hasFewRegisterRows(width))
    return selectFewRegisterRows(tileM, maxRegisterRows(width));
  int64_t rows = largestDivisor(tileM, 8, 1);
  if (rows < 7) {
    int64_t wide = largestDivisor(tileM, maxRegisterRows(width), 1);
    if (wide > rows && wide >= 4)
      return wide;
  }
  return rows >= 4 ? rows : std::min<int64_t>(8, tileM);
}

/// Makes the reduction cache tile of `op` a multiple of KH*KW when an input
/// is an im2col view whose k groups it splits (ResNet's K = 576 = 64 * 9
/// got 192), so that each cache tile can compute its slice of the im2col
/// copy (fuseIm2colTiles); only when such a tile of at least 64 divides K
/// and the parallel tiles already cover whole output rows (otherwise the
/// copy is not fused and the reduction tile stays). Returns whether the
/// tiles of an im2col input that does not depend on `m` (a right-hand
/// side) are then aligned.
static bool alignToIm2colGroups(linalg::LinalgOp op, unsigned k,
                                std::optional<unsigned> m, int64_t sizeK,
                                TileConfig &config) {
  bool fused = false;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  for (OpOperand *operand : op.getDpsInputOperands()) {
    SmallVector<int64_t> groups = getIm2colGroupSizes(*operand);
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (groups.empty() || !map.isProjectedPermutation())
      continue;
    bool rowsAligned = true;
    for (unsigned result = 0; result < map.getNumResults(); ++result) {
      unsigned loop = map.getDimPosition(result);
      int64_t tile =
          config.parallel[loop] ? config.parallel[loop] : bounds[loop];
      rowsAligned &= loop == k || tile % groups[result] == 0;
    }
    if (!rowsAligned)
      continue;
    for (unsigned result = 0; result < map.getNumResults(); ++result) {
      if (map.getDimPosition(result) != k)
        continue;
      int64_t tile = config.reduction[k] ? config.reduction[k] : sizeK;
      if (tile % groups[result] != 0) {
        int64_t aligned = largestDivisor(sizeK, 256, groups[result]);
        if (aligned >= 64)
          config.reduction[k] = aligned == sizeK ? 0 : aligned;
      }
      tile = config.reduction[k] ? config.reduction[k] : sizeK;
      fused |= tile % groups[result] == 0 && !(m && map.isFunctionOfDim(*m));
    }
  }
  return fused;
}

/// Ops that are not contractions (elementwise ops, the im2col copy,
/// pooling) only get parallel tiles along their outermost loop of extent
/// greater than one, so that the thread pool shares them; their tiles take
/// the scalar lowering (which LLVM vectorizes where it can).
static std::optional<TileConfig> selectParallelOnly(linalg::LinalgOp op) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  if (llvm::any_of(bounds, ShapedType::isDynamic))
    return std::nullopt;
  int64_t elements = 1;
  for (int64_t bound : bounds)
    elements *= bound;
  if (elements < 4096)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned numLoops = op.getNumLoops();
  for (unsigned loop = 0; loop < numLoops; ++loop) {
    if (iterators[loop] != utils::IteratorType::parallel || bounds[loop] == 1)
      continue;
    // At least 8 tiles where the extent allows.
    int64_t tile =
        largestDivisor(bounds[loop], std::max<int64_t>(1, bounds[loop] / 8), 1);
    if (tile == bounds[loop])
      return std::nullopt;
    TileConfig config;
    config.parallel.assign(numLoops, 0);
    config.reduction.assign(numLoops, 0);
    config.vector.assign(numLoops, 0);
    config.parallel[loop] = tile;
    return config;
  }
  return std::nullopt;
}

namespace {
/// The loops of a contraction the heuristic handles: k is the one
/// reduction, n the contiguous dimension of the output and of the
/// right-hand side, m a dimension of the output and the left-hand side
/// only. Other loops are parallel with extent 1 or batch loops of all three
/// operands.
struct ContractionLoops {
  std::optional<unsigned> m;
  unsigned n = 0, k = 0;
  SmallVector<unsigned> unitLoops;
};
} // namespace

/// The mul-add contractions that get register tiles (two inputs, projected
/// permutations); other ops with a config only get parallel tiles.
static bool isTiledContraction(linalg::LinalgOp op) {
  return op.hasOnlyProjectedPermutations() && op.getNumDpsInputs() == 2 &&
         isMulAddBody(op);
}

/// Classifies the loops of a tiled contraction; std::nullopt when the op
/// is not f32, has dynamic sizes or loops of another role.
static std::optional<ContractionLoops>
classifyContraction(linalg::LinalgOp linalgOp) {
  auto outType = cast<RankedTensorType>(linalgOp.getDpsInits()[0].getType());
  if (!outType.getElementType().isF32())
    return std::nullopt;
  SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
  if (llvm::any_of(bounds, ShapedType::isDynamic))
    return std::nullopt;

  AffineMap outMap =
      linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return std::nullopt;
  unsigned n = outMap.getDimPosition(outMap.getNumResults() - 1);
  AffineMap lhsMap =
      linalgOp.getMatchingIndexingMap(linalgOp.getDpsInputOperand(0));
  AffineMap rhsMap =
      linalgOp.getMatchingIndexingMap(linalgOp.getDpsInputOperand(1));
  if (lhsMap.isFunctionOfDim(n))
    std::swap(lhsMap, rhsMap);
  if (lhsMap.isFunctionOfDim(n) || rhsMap.getNumResults() == 0 ||
      rhsMap.getDimPosition(rhsMap.getNumResults() - 1) != n)
    return std::nullopt;
  ContractionLoops loops;
  loops.n = n;
  std::optional<unsigned> k;
  SmallVector<utils::IteratorType> iterators = linalgOp.getIteratorTypesArray();
  for (unsigned loop = 0, e = linalgOp.getNumLoops(); loop < e; ++loop) {
    if (loop == n)
      continue;
    bool inLhs = lhsMap.isFunctionOfDim(loop),
         inRhs = rhsMap.isFunctionOfDim(loop),
         inOut = outMap.isFunctionOfDim(loop);
    if (iterators[loop] == utils::IteratorType::reduction) {
      if (k || !inLhs || !inRhs || inOut)
        return std::nullopt;
      k = loop;
    } else if (inLhs && !inRhs && inOut && bounds[loop] != 1 && !loops.m) {
      loops.m = loop;
    } else if (bounds[loop] == 1 || (inLhs && inRhs && inOut)) {
      loops.unitLoops.push_back(loop);
    } else {
      return std::nullopt;
    }
  }
  if (!k)
    return std::nullopt;
  loops.k = *k;
  return loops;
}

/// The checks every op with a tile config passes.
static bool isTileable(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         linalgOp.getNumDpsInits() == 1 && isa<TilingInterface>(op);
}

std::optional<TileConfig>
tessera::cpu::selectTileConfig(Operation *op, const CPUTargetInfo &target) {
  if (!isTileable(op))
    return std::nullopt;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (std::optional<TileConfig> config = selectDepthwiseTileConfig(op, target))
    return config;
  if (!isTiledContraction(linalgOp))
    return selectParallelOnly(linalgOp);
  std::optional<ContractionLoops> loops = classifyContraction(linalgOp);
  if (!loops)
    return std::nullopt;
  SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
  std::optional<unsigned> m = loops->m;
  unsigned n = loops->n, k = loops->k;
  ArrayRef<unsigned> unitLoops = loops->unitLoops;

  int64_t width = target.vectorWidth;
  int64_t sizeM = m ? bounds[*m] : 1, sizeN = bounds[n], sizeK = bounds[k];

  int64_t tileM = largestDivisor(sizeM, 64, 8);
  if (!tileM)
    tileM = sizeM <= 64 ? sizeM : largestDivisor(sizeM, 64, 1);
  // With AVX2's register tiles of at most 6 rows, an m without a divisor
  // that is a multiple of 8 (169 = 13 x 13 pixels) got 13-row parallel
  // tiles: 6 + 6 + 1 rows, each B panel read again per 13 rows. The whole m
  // up to 256 rows instead (SqueezeNet 1.1: -8% at 1 and 2 threads).
  if (hasFewRegisterRows(width) && tileM % 8 != 0 && sizeM <= 256)
    tileM = sizeM;
  int64_t tileN = largestDivisor(sizeN, 8 * 2 * width, 2 * width);
  if (!tileN)
    tileN = largestDivisor(sizeN, 8 * 2 * width, width);
  if (!tileN)
    tileN = sizeN <= 32 * width ? sizeN : largestDivisor(sizeN, 16 * width, 1);
  int64_t tileK = 0;
  if (sizeK > 256) {
    tileK = largestDivisor(sizeK, 256, 1);
    if (tileK < 64)
      tileK = 256;
  }

  TileConfig config;
  unsigned numLoops = linalgOp.getNumLoops();
  config.parallel.assign(numLoops, 0);
  config.reduction.assign(numLoops, 0);
  config.vector.assign(numLoops, 0);
  for (unsigned loop : unitLoops) {
    config.parallel[loop] = 1;
    config.vector[loop] = 1;
  }
  if (m) {
    config.parallel[*m] = tileM;
    config.vector[*m] = selectRegisterRows(tileM, width);
  }
  config.parallel[n] = tileN;
  config.vector[n] = selectVectorTile(tileN, width);
  // Register tiles: batch loops, then n (one B panel at a time), then m,
  // then k.
  for (unsigned loop : unitLoops)
    config.order.push_back(loop);
  config.order.push_back(n);
  if (m)
    config.order.push_back(*m);
  config.order.push_back(k);
  config.reduction[k] = tileK;
  // Each parallel tile computes the im2col tiles it reads: one tile of all
  // the rows of A (up to 128) computes each of them once.
  if (alignToIm2colGroups(linalgOp, k, m, sizeK, config) && m && sizeM <= 128 &&
      sizeM % 8 == 0)
    config.parallel[*m] = sizeM;
  config.vector[k] = costmodel::reductionRegisterTile(
      costmodel::defaultVectorRegisters(width),
      config.reduction[k] ? config.reduction[k] : sizeK);
  config.packRhs = shouldPackRhs(op, config);
  return config;
}

int64_t tessera::cpu::countParallelTiles(ArrayRef<int64_t> parallel,
                                         ArrayRef<int64_t> bounds) {
  int64_t tiles = 1;
  for (auto [tile, bound] : llvm::zip(parallel, bounds))
    if (tile > 0)
      tiles *= llvm::divideCeil(bound, tile);
  return tiles;
}

std::optional<std::pair<unsigned, unsigned>>
tessera::cpu::getContractionKN(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !isTileable(op) || !isTiledContraction(linalgOp))
    return std::nullopt;
  std::optional<ContractionLoops> loops = classifyContraction(linalgOp);
  if (!loops)
    return std::nullopt;
  return std::make_pair(loops->k, loops->n);
}

OpOperand *tessera::cpu::getPackableRhs(Operation *linalg, unsigned k,
                                        unsigned n) {
  auto op = cast<linalg::LinalgOp>(linalg);
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    unsigned rank = map.getNumResults();
    if (rank < 2 || !map.isProjectedPermutation() ||
        map.getDimPosition(rank - 1) != n)
      continue;
    if (map.getDimPosition(rank - 2) != k)
      return nullptr;
    return operand;
  }
  return nullptr;
}

bool tessera::cpu::isGatherCopy(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return false;
  Block *body = generic.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  return body->getOperations().size() == 1 && yield.getNumOperands() == 1 &&
         yield.getOperand(0) == body->getArgument(0);
}

bool tessera::cpu::shouldPackRhs(Operation *op, const TileConfig &config) {
  std::optional<std::pair<unsigned, unsigned>> kn = getContractionKN(op);
  if (!kn)
    return false;
  auto [k, n] = *kn;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  OpOperand *rhs = getPackableRhs(linalgOp, k, n);
  if (!rhs)
    return false;
  SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
  int64_t sizeN = bounds[n], sizeK = bounds[k];
  int64_t panel = config.vector[n];
  int64_t tileN = config.parallel[n] ? config.parallel[n] : sizeN;
  int64_t tileK = config.reduction[k] ? config.reduction[k] : sizeK;
  // Every tile must read whole panels at panel-aligned offsets, so that
  // each tile's slice of the packed copy is a static slice.
  if (panel <= 1 || tileN % panel != 0 || sizeN % tileN != 0 ||
      sizeK % tileK != 0)
    return false;
  // A constant B is packed at compile time: packing only costs when B is
  // computed at run time, a copy of B per call that pays when B's rows are
  // a multiple of 2 KiB apart (they then share a few L1 sets and TLB
  // entries, and 512^3 and 1024^3 GEMMs fell to half the FMA rate).
  Operation *producer = rhs->get().getDefiningOp();
  while (
      isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(producer))
    producer = producer->getOperand(0).getDefiningOp();
  bool constant = isa_and_nonnull<arith::ConstantOp>(producer);
  int64_t rowBytes = sizeN * 4;
  if (constant)
    return sizeK >= 32;
  // An im2col matrix is computed tile by tile inside the cache tiles that
  // read it (fuseIm2colTiles): a packed copy would be a second pass.
  if (!getIm2colGroupSizes(*rhs).empty())
    return false;
  return sizeK >= 64 && rowBytes % 2048 == 0;
}

//===----------------------------------------------------------------------===//
// The candidate space and the cost model's view of an op
//===----------------------------------------------------------------------===//

std::optional<costmodel::Workload> tessera::cpu::getWorkload(Operation *op) {
  if (!isTileable(op))
    return std::nullopt;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
  if (llvm::any_of(bounds, ShapedType::isDynamic))
    return std::nullopt;
  costmodel::Workload workload;
  workload.loopSizes.assign(bounds.begin(), bounds.end());
  SmallVector<utils::IteratorType> iterators = linalgOp.getIteratorTypesArray();
  for (utils::IteratorType it : iterators)
    workload.reductionLoops.push_back(it == utils::IteratorType::reduction);
  // The loops each operand's indexing map reads (any affine expression).
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
    std::vector<unsigned> loops;
    for (unsigned loop = 0; loop < map.getNumDims(); ++loop)
      if (map.isFunctionOfDim(loop))
        loops.push_back(loop);
    workload.operandLoops.push_back(std::move(loops));
  }
  Type element =
      cast<ShapedType>(linalgOp.getDpsInits()[0].getType()).getElementType();
  workload.elementBytes =
      std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);

  if (isDecomposedDepthwiseConv(op)) {
    workload.opClass = costmodel::OpClass::Depthwise;
    workload.m = 1;
    workload.n = 3;
    // The windows of a strided convolution are strided slices of its input.
    for (OpOperand *operand : linalgOp.getDpsInputOperands())
      if (auto slice = operand->get().getDefiningOp<tensor::ExtractSliceOp>())
        if (std::optional<int64_t> stride =
                getConstantIntValue(slice.getMixedStrides().back()))
          workload.inputStride = std::max(workload.inputStride, *stride);
    return workload;
  }
  if (isTiledContraction(linalgOp)) {
    std::optional<ContractionLoops> loops = classifyContraction(linalgOp);
    if (!loops)
      return std::nullopt;
    workload.opClass = costmodel::OpClass::Contraction;
    workload.m = loops->m ? static_cast<int>(*loops->m) : -1;
    workload.n = loops->n;
    workload.k = loops->k;
    return workload;
  }
  workload.opClass = llvm::is_contained(workload.reductionLoops, true)
                         ? costmodel::OpClass::Reduction
                         : costmodel::OpClass::Elementwise;
  // Gathers (the im2col copy, pads, strided slices) are elementwise ops
  // with non-permutation maps; no tuning suite measures them on their own,
  // so they are left to the heuristic.
  if (workload.opClass == costmodel::OpClass::Elementwise &&
      !linalgOp.hasOnlyProjectedPermutations())
    return std::nullopt;
  // Likewise fills (part of every contraction's workload, never measured
  // alone) and ops smaller than anything the suites measure, which the
  // heuristic leaves untiled.
  if (isa<linalg::FillOp>(op) || workload.points() < 4096)
    return std::nullopt;
  // selectParallelOnly's loop: the outermost parallel loop longer than 1.
  for (unsigned loop = 0; loop < bounds.size(); ++loop)
    if (iterators[loop] == utils::IteratorType::parallel && bounds[loop] != 1) {
      workload.m = loop;
      break;
    }
  workload.n = static_cast<int>(bounds.size()) - 1;
  return workload;
}

costmodel::TileSizes tessera::cpu::toTileSizes(const TileConfig &config) {
  costmodel::TileSizes sizes;
  sizes.parallel.assign(config.parallel.begin(), config.parallel.end());
  sizes.reduction.assign(config.reduction.begin(), config.reduction.end());
  sizes.vector.assign(config.vector.begin(), config.vector.end());
  sizes.order.assign(config.order.begin(), config.order.end());
  return sizes;
}

std::optional<TileConfig>
tessera::cpu::fromTileSizes(const costmodel::TileSizes &sizes) {
  if (sizes.empty())
    return std::nullopt;
  TileConfig config;
  config.parallel.assign(sizes.parallel.begin(), sizes.parallel.end());
  config.reduction.assign(sizes.reduction.begin(), sizes.reduction.end());
  config.vector.assign(sizes.vector.begin(), sizes.vector.end());
  config.order.assign(sizes.order.begin(), sizes.order.end());
  return config;
}

std::vector<costmodel::TileSizes>
tessera::cpu::getCandidateConfigs(Operation *op,
                                  const costmodel::Workload &workload,
                                  const CPUTargetInfo &target) {
  std::vector<costmodel::TileSizes> candidates;
  std::optional<TileConfig> heuristic = selectTileConfig(op, target);
  candidates.push_back(heuristic ? toTileSizes(*heuristic)
                                 : costmodel::TileSizes());
  for (costmodel::TileSizes &sizes :
       costmodel::enumerateCandidates(workload, target.vectorWidth))
    if (!llvm::is_contained(candidates, sizes))
      candidates.push_back(std::move(sizes));
  return candidates;
}

Operation *tessera::cpu::findTuningRoot(Operation *scope) {
  Operation *root = nullptr;
  double most = -1;
  scope->walk([&](linalg::LinalgOp op) {
    if (std::optional<costmodel::Workload> workload = getWorkload(op))
      if (workload->flops() > most) {
        most = workload->flops();
        root = op;
      }
  });
  return root;
}
