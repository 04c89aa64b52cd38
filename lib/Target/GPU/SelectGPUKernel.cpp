//===- SelectGPUKernel.cpp - Tensor cores for CUDA matrix products --------===//
//
// The decision half of the tensor-core path: which matrix products run on
// tensor cores, with which tiles, written as `tessera.gpu_tile_config` for
// `tessera-map-linalg-to-gpu` to apply (and for people and --explain to
// read). Only the CUDA pipeline runs it; Vulkan kernels stay portable.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/GPU/Passes.h"

#include "lib/Target/GPU/ContractionKernel.h"
#include "lib/Target/GPU/TensorCoreKernel.h"

namespace tessera::gpu {
#define GEN_PASS_DEF_SELECTGPUKERNEL
#include "lib/Target/GPU/Passes.h.inc"
} // namespace tessera::gpu

using namespace mlir;

namespace {

struct SelectGPUKernelPass
    : tessera::gpu::impl::SelectGPUKernelBase<SelectGPUKernelPass> {
  using Base::Base;

  /// The pass options that replace the chosen tiling: with `block`, a
  /// whole tiling (one stage, register copies and ldmatrix.x2 B loads
  /// unless the other options say otherwise); without, only the parts
  /// they name.
  void applyOverrides(tessera::gpu::TensorCoreTiling &tiling) {
    if (block.size() == 3) {
      tiling.blockM = block[0];
      tiling.blockN = block[1];
      tiling.blockK = block[2];
      tiling.stages = 1;
      tiling.asyncCopy = false;
      tiling.bLoadTiles = 2;
    }
    if (warps.size() == 2) {
      tiling.warpsM = warps[0];
      tiling.warpsN = warps[1];
    }
    if (stages > 0)
      tiling.stages = stages;
    if (asyncCopy)
      tiling.asyncCopy = true;
    if (bLoadTiles > 0)
      tiling.bLoadTiles = bLoadTiles;
  }

  void runOnOperation() override {
    if ((!block.empty() && block.size() != 3) ||
        (!warps.empty() && warps.size() != 2)) {
      getOperation().emitError("tessera-select-gpu-kernel: block takes "
                               "BM,BN,BK and warps WM,WN");
      return signalPassFailure();
    }
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(tessera::gpu::kGPUTileConfigAttrName) ||
          !tessera::gpu::canUseTensorCores(op, allowTF32))
        return;
      tessera::gpu::TensorCoreTiling tiling =
          tessera::gpu::chooseTensorCoreTiling(op);
      applyOverrides(tiling);
      op->setAttr(tessera::gpu::kGPUTileConfigAttrName,
                  tiling.toAttr(&getContext()));
    });
  }
};

} // namespace
