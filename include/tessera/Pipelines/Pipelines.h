//===- Pipelines.h - Tessera's compilation pipelines ----------*- C++ -*-===//
//
// The pass pipelines between the stages of the compiler, shared by
// tessera-compile, the Python module and tests. Each stage is also a
// textual pipeline, so `tessera-opt --pass-pipeline=...` reproduces it.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_PIPELINES_PIPELINES_H
#define TESSERA_PIPELINES_PIPELINES_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace tessera {

/// Options of the CPU pipeline.
struct CPUPipelineOptions {
  /// 0 disables elementwise fusion and LLVM optimization.
  unsigned optLevel = 3;
  /// f32 lanes of a vector register for tiling and vectorization; 0 asks
  /// the host CPU (16 with AVX-512, 8 with AVX/AVX2, else 4).
  int64_t vectorWidth = 0;
  /// How tile configs are chosen: `heuristic`, `model`, `tune` or
  /// `candidate` (see tessera-select-tile-config).
  std::string tilePolicy = "heuristic";
  /// Cost model file of the `model`/`tune` policies ("" = shipped model).
  std::string costModelPath;
  /// Tuning database the `tune` policy reads.
  std::string tuningDatabase;
  /// Candidate index of the `candidate` policy.
  int64_t tileCandidate = -1;
  /// Attach explanations of model-chosen configs (for --explain).
  bool explainTiles = false;
};

/// Graph dialect → linalg on tensors: graph canonicalization, lowering,
/// elementwise fusion.
std::string getGraphToLinalgPipeline(const CPUPipelineOptions &options);

/// linalg on tensors → LLVM dialect: bufferization with outputs as
/// arguments, deallocation, loops, LLVM conversion with the bare-pointer
/// calling convention, and the artifact ABI entry points.
std::string getLinalgToLLVMPipeline(const CPUPipelineOptions &options);

/// Tensors to buffers, as every device's pipeline does it: identity layouts
/// at the function boundary, outputs as caller-provided buffers written in
/// place, every intermediate buffer freed, bufferization ops gone.
std::vector<std::string> getBufferizationPasses();

/// Options of the GPU pipelines (Vulkan through SPIR-V, CUDA through NVVM).
struct GPUPipelineOptions {
  enum class Target { Vulkan, CUDA };
  Target target = Target::Vulkan;
  unsigned optLevel = 3;
  /// Invocations per workgroup (block).
  int64_t blockSize = 256;
  /// Options of `spirv-attach-target` (version, capabilities, extensions).
  std::string spirvTargetOptions =
      "ver=v1.3 caps=Shader,Int64,Int16,Int8,Float64,Float16,"
      "StorageBuffer16BitAccess,StorageBuffer8BitAccess "
      "exts=SPV_KHR_storage_buffer_storage_class,SPV_KHR_16bit_storage,"
      "SPV_KHR_8bit_storage";
  /// CUDA architectures, one device object each.
  std::vector<std::string> cudaArchs = {"sm_80", "sm_90"};
  /// PTX ISA version as an NVPTX feature.
  std::string ptxFeatures = "+ptx80";
  /// Bundle cubins for every architecture plus PTX into one fatbin (needs
  /// the CUDA toolkit at compile time); otherwise PTX of the first.
  bool cudaFatbin = true;
  /// CUDA: f32 matrix products on tensor cores with TF32 operands (10-bit
  /// mantissa); f16/bf16 products use tensor cores regardless.
  bool allowTF32 = false;
  /// CUDA: tensor-core tiles for every product instead of the chosen ones,
  /// as tessera-select-gpu-kernel options ("block=128,256,32 warps=2,4
  /// stages=2"); empty: chosen per product.
  std::string tensorCoreTiles;
};

/// linalg on tensors → host LLVM dialect with embedded GPU binaries: one
/// kernel per linalg op, buffers in device memory, the artifact ABI.
std::string getLinalgToGPUPipeline(const GPUPipelineOptions &options);

} // namespace tessera

#endif // TESSERA_PIPELINES_PIPELINES_H
