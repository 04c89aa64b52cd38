//===- EliminateConcatCopies.cpp - Producers write into their slices ------===//
//
// A Concat lowers to tensor.insert_slice ops of each input into a fresh
// tensor, and bufferization turns each into a memref.copy: SqueezeNet's fire
// modules copy both expand convolutions' outputs once more. Upstream's
// eliminate-empty-tensors removes such copies by letting the producer write
// into a slice of the destination, but only when no reshape lies between
// them, and the im2col contractions produce [n, f, h*w] while the Concat
// inserts [n, f, h, w]. This pass does the same through reshapes: the
// tensor.empty a producer chain starts from becomes the (reshaped) slice of
// the destination that the chain's result is inserted into. One-shot
// bufferization then writes in place and the copy disappears.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_ELIMINATECONCATCOPIES
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// Moves the side-effect-free ops that define `value` (and, recursively,
/// their operands) above `anchor` where they come after it in its block.
/// Fails, moving nothing more, when one of them has side effects or is
/// `anchor` itself.
bool hoistAbove(Value value, Operation *anchor) {
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != anchor->getBlock() ||
      def->isBeforeInBlock(anchor))
    return true;
  if (def == anchor || !isMemoryEffectFree(def))
    return false;
  for (Value operand : def->getOperands())
    if (!hoistAbove(operand, anchor))
      return false;
  def->moveBefore(anchor);
  return true;
}

/// How the inserted value is produced: the init operand of the chain's
/// first op that receives a tensor.empty, and the reshapes met on the way
/// from the insert_slice's source back to it (nearest to the insert first).
struct ProducerChain {
  OpOperand *emptyInit = nullptr;
  SmallVector<Operation *> reshapes;
};

/// Follows `value` back through single-use reshapes and single-use results
/// of destination-style ops and scf.forall to the tensor.empty init the
/// chain writes into.
std::optional<ProducerChain> traceToEmptyInit(Value value) {
  ProducerChain chain;
  while (value.hasOneUse()) {
    Operation *def = value.getDefiningOp();
    if (!def)
      return std::nullopt;
    OpOperand *init = nullptr;
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def)) {
      chain.reshapes.push_back(def);
      value = def->getOperand(0);
      continue;
    }
    auto result = cast<OpResult>(value);
    if (auto forall = dyn_cast<scf::ForallOp>(def))
      init = forall.getTiedOpOperand(result);
    else if (auto dps = dyn_cast<DestinationStyleOpInterface>(def))
      init = dps.getTiedOpOperand(result);
    if (!init)
      return std::nullopt;
    if (init->get().getDefiningOp<tensor::EmptyOp>()) {
      chain.emptyInit = init;
      return chain;
    }
    value = init->get();
  }
  return std::nullopt;
}

/// True when the reshapes of `chain`, undone on a slice of `destType` at
/// `insert`'s position, only merge dimensions the slice covers whole (so the
/// merged view of the slice is contiguous and needs no copy).
bool slicesReshapeInPlace(tensor::InsertSliceOp insert,
                          const ProducerChain &chain) {
  ArrayRef<int64_t> destShape = insert.getDestType().getShape();
  ArrayRef<int64_t> sizes = insert.getStaticSizes();
  if (insert.getSourceType().getRank() != insert.getDestType().getRank())
    return false; // Rank-reducing insert.
  // Only a single reshape adjacent to the insert is supported: its groups
  // refer to the dimensions of the inserted (4-D) value.
  if (chain.reshapes.size() > 1)
    return false;
  if (chain.reshapes.empty())
    return true;
  auto expand = dyn_cast<tensor::ExpandShapeOp>(chain.reshapes.front());
  if (!expand)
    return false;
  for (const ReassociationIndices &group :
       expand.getReassociationIndices())
    for (int64_t dim : ArrayRef<int64_t>(group).drop_front())
      if (sizes[dim] != destShape[dim])
        return false;
  return true;
}

/// Replaces the chain's empty init by the slice of the insert's destination
/// that the insert overwrites, collapsed back to the init's type. The
/// destination is computed before the producer (hoisting it when it comes
/// after), so that bufferization sees the producer write into the very
/// subset the insert then copies onto itself.
bool writeIntoSlice(tensor::InsertSliceOp insert, const ProducerChain &chain) {
  Operation *user = chain.emptyInit->getOwner();
  Operation *anchor = insert->getBlock()->findAncestorOpInBlock(*user);
  if (!anchor || !hoistAbove(insert.getDest(), anchor))
    return false;
  OpBuilder builder(user);
  Location loc = insert.getLoc();
  Value slice = tensor::ExtractSliceOp::create(
      builder, loc, insert.getSourceType(), insert.getDest(),
      insert.getMixedOffsets(), insert.getMixedSizes(),
      insert.getMixedStrides());
  if (!chain.reshapes.empty()) {
    auto expand = cast<tensor::ExpandShapeOp>(chain.reshapes.front());
    slice = tensor::CollapseShapeOp::create(
        builder, loc, expand.getSrcType(), slice,
        expand.getReassociationIndices());
  }
  chain.emptyInit->set(slice);
  return true;
}

struct EliminateConcatCopiesPass
    : tessera::cpu::impl::EliminateConcatCopiesBase<
          EliminateConcatCopiesPass> {
  void runOnOperation() override {
    // Only the model function's own inserts (Concats, pads): those inside
    // tiles belong to the tiled kernels.
    SmallVector<tensor::InsertSliceOp> inserts(
        getOperation().getOps<tensor::InsertSliceOp>());
    for (tensor::InsertSliceOp insert : inserts) {
      if (!insert.hasUnitStride() || !insert.getSourceType().hasStaticShape() ||
          !insert.getOffsets().empty())
        continue;
      std::optional<ProducerChain> chain =
          traceToEmptyInit(insert.getSource());
      if (chain && slicesReshapeInPlace(insert, *chain))
        (void)writeIntoSlice(insert, *chain);
    }
  }
};

} // namespace
