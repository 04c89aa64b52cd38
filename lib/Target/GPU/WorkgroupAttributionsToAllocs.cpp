//===- WorkgroupAttributionsToAllocs.cpp - Shared memory for SPIR-V -------===//

#include "lib/Target/GPU/Passes.h"

#include "mlir/IR/Builders.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_WORKGROUPATTRIBUTIONSTOALLOCS
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

struct WorkgroupAttributionsToAllocsPass
    : tessera::gpu::impl::WorkgroupAttributionsToAllocsBase<
          WorkgroupAttributionsToAllocsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<mlir::gpu::GPUFuncOp>()) {
      unsigned count = func.getNumWorkgroupAttributions();
      if (count == 0)
        continue;
      Block &entry = func.getBody().front();
      OpBuilder b = OpBuilder::atBlockBegin(&entry);
      for (BlockArgument arg : func.getWorkgroupAttributions()) {
        Value alloc = memref::AllocOp::create(
            b, arg.getLoc(), cast<MemRefType>(arg.getType()));
        arg.replaceAllUsesWith(alloc);
      }
      unsigned first = func.getFunctionType().getNumInputs();
      entry.eraseArguments(first, count);
      func->setAttr(mlir::gpu::GPUFuncOp::getNumWorkgroupAttributionsAttrName(),
                    b.getI64IntegerAttr(0));
    }
  }
};

} // namespace
