//===- GPUPipeline.cpp - The Vulkan (SPIR-V) and CUDA (NVVM) pipelines ----===//
//
// linalg on tensors → buffers → one GPU kernel per linalg op → SPIR-V or
// PTX/cubin embedded in the host code, which becomes LLVM like the CPU
// path and calls the runtime's GPU services (mgpu*, see
// include/tessera-c/Artifact.h). Textual, like the CPU pipelines, so
// `tessera-opt --pass-pipeline=...` reproduces any step.
//
//===----------------------------------------------------------------------===//

#include "tessera/Pipelines/Pipelines.h"

#include "llvm/ADT/StringExtras.h"

using namespace tessera;

/// The shared front half: buffers, one kernel per linalg op, device memory,
/// outlined kernels lowered to loops.
static std::vector<std::string>
getBufferToKernelPasses(const GPUPipelineOptions &options) {
  std::vector<std::string> passes = {
      "func.func(tessera-inline-dispatches)",
      // Convolutions as im2col + a contraction: the tiled matrix kernel.
      "func.func(tessera-convert-conv-to-im2col)",
      "canonicalize",
  };
  llvm::append_range(passes, getBufferizationPasses());
  // CUDA: matrix products that fit go to tensor cores (a tile config).
  std::string selectKernels;
  if (options.target == GPUPipelineOptions::Target::CUDA)
    selectKernels = std::string("tessera-select-gpu-kernel{allow-tf32=") +
                    (options.allowTF32 ? "true" : "false") +
                    (options.tensorCoreTiles.empty()
                         ? ""
                         : " " + options.tensorCoreTiles) +
                    " cuda-archs=" + llvm::join(options.cudaArchs, ",") +
                    "},";
  std::vector<std::string> kernels = {
      "func.func(tessera-copies-to-linalg," + selectKernels +
          "tessera-map-linalg-to-gpu{block-size=" +
          std::to_string(options.blockSize) +
          "},"
          "convert-linalg-to-loops)",
      // A module pass: it declares the runtime's cache of constants.
      "tessera-place-buffers-on-device",
      "canonicalize",
      "tessera-flatten-constant-globals",
      "gpu-launch-sink-index-computations",
      "gpu-kernel-outlining",
      "tessera-erase-integer-signedness",
      // Kernel bodies: views folded into loads and stores, no affine.
      "gpu.module(fold-memref-alias-ops,expand-strided-metadata,lower-affine,"
      "canonicalize,cse)",
      // One stream per run: copies and launches are asynchronous on it.
      "func.func(gpu-async-region)",
  };
  llvm::append_range(passes, kernels);
  return passes;
}

std::vector<std::string> tessera::getBufferizationPasses() {
  return {
      "one-shot-bufferize{bufferize-function-boundaries "
      "function-boundary-type-conversion=identity-layout-map}",
      // Without this, in-place tiles are copied onto themselves.
      "canonicalize",
      // Results become caller-provided output buffers.
      "buffer-results-to-out-params{modify-public-functions=true}",
      "func.func(tessera-elide-output-copies)",
      "buffer-deallocation-pipeline",
      "canonicalize",
      "convert-bufferization-to-memref",
  };
}

static std::vector<std::string>
getKernelCodegenPasses(const GPUPipelineOptions &options) {
  if (options.target == GPUPipelineOptions::Target::Vulkan)
    return {
        "spirv-attach-target{" + options.spirvTargetOptions + "}",
        "gpu.module(tessera-set-spirv-entry-point-abi,"
        "tessera-workgroup-attributions-to-allocs,tessera-demote-f64-math,"
        "tessera-approximate-erf,"
        "convert-math-to-spirv)",
        "convert-gpu-to-spirv{use-64bit-index=false}",
        "tessera-nest-spirv-modules",
        "gpu.module(spirv.module(spirv-lower-abi-attrs,spirv-update-vce))",
        "gpu-module-to-binary",
    };
  std::vector<std::string> passes;
  for (const std::string &arch : options.cudaArchs)
    passes.push_back("nvvm-attach-target{chip=" + arch + " features=" +
                     options.ptxFeatures +
                     " O=" + std::to_string(options.optLevel) + "}");
  // Tensor-core kernels: aligned .shared tiles, nvgpu.mma.sync → NVVM;
  // NVVM ops without intrinsics (wgmma.mma_async) → inline PTX.
  passes.push_back("gpu.module(tessera-align-workgroup-memory,convert-scf-to-cf,"
                   "convert-nvgpu-to-nvvm,convert-gpu-to-nvvm{use-bare-ptr-memref-call-"
                   "conv=true},convert-nvvm-to-llvm,"
                   "tessera-extern-dynamic-shared-memory,canonicalize,cse,"
                   "reconcile-unrealized-casts)");
  passes.push_back("gpu-module-to-binary{format=isa}");
  if (options.cudaFatbin)
    passes.push_back("tessera-bundle-cuda-objects");
  return passes;
}

/// The host code: LLVM with the bare-pointer convention, GPU operations as
/// calls into the runtime, and the artifact entry points.
static std::vector<std::string> getHostLoweringPasses() {
  return {
      "convert-scf-to-cf",
      "expand-strided-metadata",
      "lower-affine",
      "gpu-to-llvm{use-bare-pointers-for-host=true "
      "use-bare-pointers-for-kernels=true}",
      "finalize-memref-to-llvm{use-generic-functions=true}",
      "convert-math-to-llvm",
      "convert-arith-to-llvm",
      "convert-index-to-llvm",
      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=true}",
      "convert-cf-to-llvm",
      "convert-ub-to-llvm",
      "reconcile-unrealized-casts",
      "tessera-emit-artifact-abi",
      "canonicalize",
  };
}

std::string tessera::getLinalgToGPUPipeline(const GPUPipelineOptions &options) {
  std::vector<std::string> passes = getBufferToKernelPasses(options);
  llvm::append_range(passes, getKernelCodegenPasses(options));
  llvm::append_range(passes, getHostLoweringPasses());
  return "builtin.module(" + llvm::join(passes, ",") + ")";
}
