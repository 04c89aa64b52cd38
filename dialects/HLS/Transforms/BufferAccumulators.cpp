//===- BufferAccumulators.cpp - On-chip accumulators for reductions -------===//
//
// Implements `thls-buffer-accumulators`: the output row that a reduction
// nest updates in its innermost loop moves from the m_axi port into a local
// array for the duration of the reductions.
//
//===----------------------------------------------------------------------===//

#include "dialects/HLS/Transforms/Passes.h"

#include "mlir/Dialect/Affine/Analysis/LoopAnalysis.h"

namespace tessera::hls {
#define GEN_PASS_DEF_BUFFERACCUMULATORS
#include "dialects/HLS/Transforms/Passes.h.inc"
} // namespace tessera::hls

using namespace mlir;
using namespace tessera::hls;

namespace {

using affine::AffineForOp;
using affine::AffineLoadOp;
using affine::AffineStoreOp;

/// The read-modify-write of one element in `loop`'s body: a store and the
/// load of the same element, the only accesses of that buffer in the body.
std::optional<std::pair<AffineLoadOp, AffineStoreOp>>
findUpdate(AffineForOp loop) {
  std::optional<std::pair<AffineLoadOp, AffineStoreOp>> found;
  for (auto store : loop.getBody()->getOps<AffineStoreOp>()) {
    for (auto load : loop.getBody()->getOps<AffineLoadOp>())
      if (load.getMemRef() == store.getMemRef() &&
          load.getAffineMap() == store.getAffineMap() &&
          load.getMapOperands() == store.getMapOperands())
        found = {load, store};
    if (found)
      break;
  }
  if (!found)
    return std::nullopt;
  Value memref = found->second.getMemRef();
  int64_t accesses = llvm::count_if(memref.getUsers(), [&](Operation *user) {
    return loop->isAncestor(user);
  });
  if (accesses != 2)
    return std::nullopt;
  return found;
}

/// The outermost loop of the perfect nest around `loop` whose induction
/// variable, like those of all loops between it and `loop`, does not index
/// the updated element: where the reductions start.
AffineForOp findReductionRoot(AffineForOp loop, AffineStoreOp store) {
  AffineForOp root;
  Operation *child = loop;
  while (auto parent = dyn_cast<AffineForOp>(child->getParentOp())) {
    if (parent.getBody()->getOperations().size() != 2 ||
        llvm::is_contained(store.getMapOperands(), parent.getInductionVar()))
      break;
    root = parent;
    child = parent;
  }
  return root;
}

/// `for p in [0, trip): to[...] = from[...]` with `p` in place of `iv` in
/// the port's indices.
void emitCopy(OpBuilder &b, Location loc, int64_t trip, AffineStoreOp update,
              Value iv, Value buffer, bool toBuffer) {
  auto copy = AffineForOp::create(b, loc, 0, trip, 1);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(copy.getBody());
  Value p = copy.getInductionVar();
  SmallVector<Value> indices(update.getMapOperands());
  llvm::replace(indices, iv, p);
  if (toBuffer) {
    Value v = AffineLoadOp::create(b, loc, update.getMemRef(),
                                   update.getAffineMap(), indices);
    AffineStoreOp::create(b, loc, v, buffer, ValueRange{p});
  } else {
    Value v = AffineLoadOp::create(b, loc, buffer, ValueRange{p});
    AffineStoreOp::create(b, loc, v, update.getMemRef(),
                          update.getAffineMap(), indices);
  }
}

void bufferAccumulator(AffineForOp loop) {
  auto update = findUpdate(loop);
  if (!update)
    return;
  auto [load, store] = *update;
  Value iv = loop.getInductionVar();
  std::optional<uint64_t> trip = affine::getConstantTripCount(loop);
  if (!trip || !loop.hasConstantLowerBound() ||
      loop.getConstantLowerBound() != 0 || loop.getStepAsInt() != 1 ||
      !llvm::is_contained(store.getMapOperands(), iv))
    return;
  AffineForOp root = findReductionRoot(loop, store);
  if (!root)
    return;
  // The indices (but `iv`) must be available before the reductions.
  for (Value index : store.getMapOperands())
    if (index != iv && root->isAncestor(index.getParentBlock()->getParentOp()))
      return;

  Location loc = loop.getLoc();
  OpBuilder b(root);
  auto type = MemRefType::get({static_cast<int64_t>(*trip)},
                              cast<MemRefType>(store.getMemRef().getType())
                                  .getElementType());
  Value buffer = memref::AllocaOp::create(b, loc, type);
  emitCopy(b, loc, *trip, store, iv, buffer, /*toBuffer=*/true);
  b.setInsertionPointAfter(root);
  emitCopy(b, loc, *trip, store, iv, buffer, /*toBuffer=*/false);

  b.setInsertionPoint(load);
  Value local = AffineLoadOp::create(b, loc, buffer, ValueRange{iv});
  load.getResult().replaceAllUsesWith(local);
  load.erase();
  b.setInsertionPoint(store);
  AffineStoreOp::create(b, loc, store.getValueToStore(), buffer,
                        ValueRange{iv});
  store.erase();
}

struct BufferAccumulatorsPass
    : tessera::hls::impl::BufferAccumulatorsBase<BufferAccumulatorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(HLSDialect::kKernelAttrName))
      return;
    SmallVector<AffineForOp> innermost;
    func.walk([&](AffineForOp loop) {
      if (loop.getBody()->getOps<AffineForOp>().empty())
        innermost.push_back(loop);
    });
    for (AffineForOp loop : innermost)
      bufferAccumulator(loop);
  }
};

} // namespace
