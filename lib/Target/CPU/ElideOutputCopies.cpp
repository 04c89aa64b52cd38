//===- ElideOutputCopies.cpp - Write outputs in place ---------------------===//
//
// Replaces `%a = memref.alloc` + `memref.copy %a, %outArg` by computing
// directly into %outArg, when that is unobservable: both live in the entry
// block, the copy is the allocation's last user (deallocs aside), and the
// output argument has no other use.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace tessera::cpu {
#define GEN_PASS_DEF_ELIDEOUTPUTCOPIES
#include "lib/Target/CPU/Passes.h.inc"
} // namespace tessera::cpu

using namespace mlir;

namespace {

/// True if every user of `alloc` other than `copy` and deallocations comes
/// before `copy` in the same block.
bool copyIsLastUse(memref::AllocOp alloc, memref::CopyOp copy) {
  for (Operation *user : alloc->getUsers()) {
    if (user == copy || isa<memref::DeallocOp>(user))
      continue;
    Operation *ancestor = copy->getBlock()->findAncestorOpInBlock(*user);
    if (!ancestor || !ancestor->isBeforeInBlock(copy))
      return false;
  }
  return true;
}

struct ElideOutputCopiesPass
    : tessera::cpu::impl::ElideOutputCopiesBase<ElideOutputCopiesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    SmallVector<memref::CopyOp> copies;
    for (auto copy : entry.getOps<memref::CopyOp>())
      copies.push_back(copy);
    for (memref::CopyOp copy : copies) {
      auto target = dyn_cast<BlockArgument>(copy.getTarget());
      auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
      if (!target || target.getOwner() != &entry || !alloc ||
          alloc->getBlock() != &entry ||
          alloc.getType() != target.getType() || !target.hasOneUse() ||
          !copyIsLastUse(alloc, copy))
        continue;
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      copy->erase();
      alloc.getResult().replaceAllUsesWith(target);
      alloc->erase();
    }
  }
};

} // namespace
