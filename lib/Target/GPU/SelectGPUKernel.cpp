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

  void runOnOperation() override {
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(tessera::gpu::kGPUTileConfigAttrName) ||
          !tessera::gpu::canUseTensorCores(op, allowTF32))
        return;
      tessera::gpu::TensorCoreTiling tiling =
          tessera::gpu::chooseTensorCoreTiling(op);
      op->setAttr(tessera::gpu::kGPUTileConfigAttrName,
                  tiling.toAttr(&getContext()));
    });
  }
};

} // namespace
