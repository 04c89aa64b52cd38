//===- ExternDynamicSharedMemory.cpp - extern __shared__ for NVPTX --------===//
//
// Gives the zero-sized `.shared` arrays that stand for a kernel's dynamic
// shared memory external linkage, so that NVPTX declares them `.extern`
// instead of demoting them to a 1-byte static variable (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_EXTERNDYNAMICSHAREDMEMORY
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

struct ExternDynamicSharedMemoryPass
    : tessera::gpu::impl::ExternDynamicSharedMemoryBase<
          ExternDynamicSharedMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    for (auto global : getOperation().getOps<LLVM::GlobalOp>()) {
      auto array = dyn_cast<LLVM::LLVMArrayType>(global.getType());
      if (!array || array.getNumElements() != 0 ||
          global.getAddrSpace() !=
              static_cast<unsigned>(NVVM::NVVMMemorySpace::Shared) ||
          global.getInitializerRegion().getBlocks().size() ||
          global.getValue())
        continue;
      global.setLinkage(LLVM::Linkage::External);
    }
  }
};

} // namespace
