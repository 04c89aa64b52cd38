//===- NestSPIRVModules.cpp - spirv.module into its gpu.module ------------===//
//
// Upstream's SPIR-V serialization (gpu-module-to-binary with a SPIR-V
// target) looks for the spirv.module inside the gpu.module, while
// convert-gpu-to-spirv writes it next to it as `__spv__<gpu module name>`.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_NESTSPIRVMODULES
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kConvertedPrefix = "__spv__";

struct NestSPIRVModulesPass
    : tessera::gpu::impl::NestSPIRVModulesBase<NestSPIRVModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto spirvModule :
         llvm::make_early_inc_range(module.getOps<spirv::ModuleOp>())) {
      std::optional<StringRef> name = spirvModule.getName();
      if (!name || !name->starts_with(kConvertedPrefix))
        continue;
      auto gpuModule = module.lookupSymbol<mlir::gpu::GPUModuleOp>(
          name->drop_front(kConvertedPrefix.size()));
      if (!gpuModule) {
        spirvModule.emitError("no gpu.module for this converted module");
        return signalPassFailure();
      }
      spirvModule->moveBefore(&gpuModule.getBody()->front());
    }
  }
};

} // namespace
