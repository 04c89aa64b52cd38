//===- AlignWorkgroupMemory.cpp - Aligned .shared arrays for kernels ------===//
//
// Workgroup attributions lower to `.shared` globals aligned to their element
// type; kernels that read them with vector loads (the tensor-core kernels'
// 32-bit fragment loads) need more. The alignment is an attribute of the
// gpu.func's attribution, which `convert-gpu-to-nvvm` honours.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_ALIGNWORKGROUPMEMORY
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

struct AlignWorkgroupMemoryPass
    : tessera::gpu::impl::AlignWorkgroupMemoryBase<AlignWorkgroupMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
      getOperation().emitError("alignment must be a power of two, not ")
          << alignment;
      return signalPassFailure();
    }
    StringRef name = LLVM::LLVMDialect::getAlignAttrName();
    Builder b(&getContext());
    getOperation().walk([&](mlir::gpu::GPUFuncOp func) {
      for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e; ++i) {
        auto current = dyn_cast_or_null<IntegerAttr>(
            func.getWorkgroupAttributionAttr(i, name));
        if (current && current.getInt() >= alignment)
          continue;
        func.setWorkgroupAttributionAttr(i, name,
                                         b.getI64IntegerAttr(alignment));
      }
    });
  }
};

} // namespace
