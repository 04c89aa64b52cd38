//===- SetSPIRVEntryPointABI.cpp - Workgroup sizes of SPIR-V kernels ------===//
//
// A SPIR-V compute shader declares its workgroup size (LocalSize); the
// kernel outliner already knows it from the launch, as known_block_size.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_SETSPIRVENTRYPOINTABI
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

struct SetSPIRVEntryPointABIPass
    : tessera::gpu::impl::SetSPIRVEntryPointABIBase<
          SetSPIRVEntryPointABIPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<mlir::gpu::GPUFuncOp>()) {
      if (!func.isKernel() ||
          func->hasAttr(spirv::getEntryPointABIAttrName()))
        continue;
      std::optional<ArrayRef<int32_t>> blockSize = func.getKnownBlockSize();
      if (!blockSize || blockSize->size() != 3) {
        func.emitError("kernel has no known block size: launch it with "
                       "constant block dimensions");
        return signalPassFailure();
      }
      func->setAttr(spirv::getEntryPointABIAttrName(),
                    spirv::getEntryPointABIAttr(&getContext(),
                                                *blockSize));
    }
  }
};

} // namespace
