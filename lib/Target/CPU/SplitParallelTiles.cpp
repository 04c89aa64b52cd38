//===- SplitParallelTiles.cpp - Enough parallel tiles for the pool --------===//
//
// Tile configs are chosen for one core: cache and register reuse. An op
// whose config leaves a single parallel tile has no scf.forall after tiling
// and runs inline in the model function, on one thread (MobileNetV2's 7x7
// project convolutions, SqueezeNet's 13x13 squeeze convolutions); one with
// two tiles (ResNet's 7x7 layers, 512 channels in two tiles of 256) keeps
// both threads busy only if they start it together, and one with three
// (the stems' im2col copies, one tile per input channel) leaves a thread
// idle for a third of it. This pass makes the parallel tiles smaller until
// each op has at least `min-tiles` of them, one step on one loop at a time,
// taking the loop whose split re-reads the least input (a contraction's A
// tile when n is split, its B panel when m is). Every new tile divides the
// loop and is a multiple of the register tile and of the im2col groups of a
// fused im2col input, so the reduction and register levels, packed panels
// and fused im2col tiles stay as they were.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/ConvertConvToIm2col.h"
#include "lib/Target/CPU/Passes.h"
#include "lib/Target/CPU/TileConfig.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <numeric>

namespace tessera::cpu {
#define GEN_PASS_DEF_SPLITPARALLELTILES
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;
using namespace tessera::cpu;

namespace {

/// The fewest register tiles a parallel tile that peels a remainder keeps.
constexpr int64_t kMinRegisterTiles = 4;

/// The size of a parallel tile of `loop`: 0 in the config is the whole loop.
int64_t tileOf(const TileConfig &config, ArrayRef<int64_t> bounds,
               unsigned loop) {
  return config.parallel[loop] ? config.parallel[loop] : bounds[loop];
}

/// Per loop of `op`, the size every parallel tile must be a multiple of:
/// the register tile where it divides the parallel tile (one that does not,
/// AVX2's 6 rows of a 64-row tile, already peels a remainder, so any
/// smaller tile of at least kMinRegisterTiles register tiles will do), and
/// for the loops a
/// fused im2col input reads, its groups (whole output rows along the
/// pixels: the tiles of the copy start and end on group boundaries, as
/// tessera-tile-and-vectorize checks).
SmallVector<int64_t> getTileUnits(linalg::LinalgOp op,
                                  const TileConfig &config,
                                  ArrayRef<int64_t> bounds) {
  unsigned numLoops = op.getNumLoops();
  SmallVector<int64_t> units(numLoops, 1);
  for (unsigned loop = 0; loop < numLoops; ++loop) {
    int64_t registerTile = std::max<int64_t>(1, config.vector[loop]);
    if (tileOf(config, bounds, loop) % registerTile == 0)
      units[loop] = registerTile;
  }
  for (OpOperand *operand : op.getDpsInputOperands()) {
    SmallVector<int64_t> groups = getIm2colGroupSizes(*operand);
    AffineMap map = op.getMatchingIndexingMap(operand);
    for (auto [result, group] : llvm::enumerate(groups))
      for (unsigned loop = 0; loop < numLoops; ++loop)
        if (map.getResult(result).isFunctionOfDim(loop))
          units[loop] = std::lcm(units[loop], group);
  }
  return units;
}

/// What splitting `loop` costs: the elements of the inputs that one
/// parallel tile reads and that do not depend on `loop`, which every new
/// piece reads again (and recomputes, for a fused im2col tile). Splitting a
/// contraction along n re-reads its tile of A, along m its panel of B.
int64_t getSplitCost(linalg::LinalgOp op, const TileConfig &config,
                     ArrayRef<int64_t> bounds, unsigned loop) {
  int64_t cost = 0;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (map.isFunctionOfDim(loop))
      continue;
    int64_t elements = 1;
    for (unsigned other = 0; other < bounds.size(); ++other)
      if (map.isFunctionOfDim(other))
        elements *= tileOf(config, bounds, other);
    cost += elements;
  }
  return cost;
}

/// The next smaller parallel tile of `loop`: the largest multiple of `unit`
/// below the current tile that divides the loop's extent (static tiles),
/// and, where the register tile does not divide it, holds at least
/// kMinRegisterTiles of them (169 rows in 13-row tiles would be 6 + 6 + 1
/// rows); 0 if there is none.
int64_t getSmallerTile(const TileConfig &config, ArrayRef<int64_t> bounds,
                       unsigned loop, int64_t unit) {
  int64_t registerTile = std::max<int64_t>(1, config.vector[loop]);
  int64_t smallest =
      unit % registerTile == 0 ? unit : kMinRegisterTiles * registerTile;
  for (int64_t size = tileOf(config, bounds, loop) - 1; size >= smallest;
       --size)
    if (bounds[loop] % size == 0 && size % unit == 0)
      return size;
  return 0;
}

/// Makes the parallel tiles of `config` smaller, one step on one loop at a
/// time, until there are at least `minTiles`: each step takes the parallel
/// loop whose split re-reads the fewest input elements (the outermost on
/// ties). Returns whether the config changed.
bool splitTiles(linalg::LinalgOp op, TileConfig &config,
                ArrayRef<int64_t> bounds, int64_t minTiles) {
  SmallVector<int64_t> units = getTileUnits(op, config, bounds);
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  bool changed = false;
  while (countParallelTiles(config.parallel, bounds) < minTiles) {
    std::optional<unsigned> best;
    int64_t bestCost = 0, bestSize = 0;
    for (unsigned loop = 0; loop < bounds.size(); ++loop) {
      if (iterators[loop] != utils::IteratorType::parallel)
        continue;
      int64_t size = getSmallerTile(config, bounds, loop, units[loop]);
      if (!size)
        continue;
      int64_t cost = getSplitCost(op, config, bounds, loop);
      if (!best || cost < bestCost) {
        best = loop;
        bestCost = cost;
        bestSize = size;
      }
    }
    if (!best)
      break;
    config.parallel[*best] = bestSize;
    changed = true;
  }
  return changed;
}

struct SplitParallelTilesPass
    : tessera::cpu::impl::SplitParallelTilesBase<SplitParallelTilesPass> {
  using SplitParallelTilesBase::SplitParallelTilesBase;

  void runOnOperation() override {
    getOperation().walk([&](linalg::LinalgOp op) {
      std::optional<TileConfig> config =
          TileConfig::fromOp(op, op.getNumLoops());
      SmallVector<int64_t> bounds = op.getStaticLoopRanges();
      // Only ops that the config already distributes over threads: a config
      // without parallel tiles is a decision to run the op inline.
      if (!config || llvm::any_of(bounds, ShapedType::isDynamic) ||
          llvm::all_of(config->parallel, [](int64_t t) { return t == 0; }))
        return;
      // Ops of a few microseconds: the pool's hand-off would cost about as
      // much as a piece saves.
      int64_t points = 1;
      for (int64_t bound : bounds)
        points *= bound;
      if (points < minPoints)
        return;
      if (splitTiles(op, *config, bounds, minTiles))
        op->setAttr(kTileConfigAttrName, config->toAttr(op->getContext()));
    });
  }
};

} // namespace
