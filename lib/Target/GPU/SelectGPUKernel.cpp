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

#include "llvm/ADT/StringExtras.h"

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

  /// The wgmma tiling the options ask for (block, stages, overlap; 3
  /// stages unless given).
  tessera::gpu::TensorCoreTiling wgmmaTiling() {
    tessera::gpu::TensorCoreTiling tiling;
    tiling.wgmma = true;
    tiling.blockK = 64;
    tiling.stages = 3;
    if (block.size() == 3) {
      tiling.blockM = block[0];
      tiling.blockN = block[1];
      tiling.blockK = block[2];
    }
    if (stages > 0)
      tiling.stages = stages;
    tiling.wgmmaOverlap = wgmmaOverlap;
    return tiling;
  }

  void runOnOperation() override {
    if ((!block.empty() && block.size() != 3) ||
        (!warps.empty() && warps.size() != 2)) {
      getOperation().emitError("tessera-select-gpu-kernel: block takes "
                               "BM,BN,BK and warps WM,WN");
      return signalPassFailure();
    }
    if (!mma.empty() && mma != tessera::gpu::kMmaWgmma) {
      getOperation().emitError("tessera-select-gpu-kernel: mma takes "
                               "'wgmma' (or nothing)");
      return signalPassFailure();
    }
    bool onlySm90a =
        !cudaArchs.empty() &&
        llvm::all_of(cudaArchs, [](const std::string &arch) {
          return arch == tessera::gpu::kWgmmaArch;
        });
    // Hopper-only builds take wgmma by default (about 70% of cuBLAS at
    // 4096^3 f16 on an H200 against 45% for mma.sync, docs/perf.md),
    // unless mma.sync tile options say otherwise.
    bool mmaSyncOptions = !block.empty() || !warps.empty() || stages > 0 ||
                          asyncCopy || bLoadTiles > 0;
    bool useWgmma = mma == tessera::gpu::kMmaWgmma ||
                    (mma.empty() && onlySm90a && !mmaSyncOptions);
    WalkResult result = getOperation().walk([&](linalg::LinalgOp op) {
      if (!op->hasAttr(tessera::gpu::kGPUTileConfigAttrName) &&
          tessera::gpu::canUseTensorCores(op, allowTF32)) {
        tessera::gpu::TensorCoreTiling tiling;
        // wgmma where its kernel applies, else the mma.sync tiling.
        if (useWgmma && tessera::gpu::whyNotWgmma(op).empty()) {
          tiling = wgmmaTiling();
        } else {
          tiling = tessera::gpu::chooseTensorCoreTiling(op);
          if (mma.empty())
            applyOverrides(tiling);
        }
        op->setAttr(tessera::gpu::kGPUTileConfigAttrName,
                    tiling.toAttr(&getContext()));
      }
      std::optional<tessera::gpu::TensorCoreTiling> tiling =
          tessera::gpu::TensorCoreTiling::get(op);
      if (tiling && tiling->wgmma && !onlySm90a) {
        op.emitError("wgmma tensor-core kernels (mma = \"wgmma\") run only "
                     "on sm_90a: compile with --cuda-arch=sm_90a (this "
                     "compilation is for ")
            << llvm::join(cudaArchs, ",") << ")";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
