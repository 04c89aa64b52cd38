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
};

/// Graph dialect → linalg on tensors: graph canonicalization, lowering,
/// elementwise fusion.
std::string getGraphToLinalgPipeline(const CPUPipelineOptions &options);

/// linalg on tensors → LLVM dialect: bufferization with outputs as
/// arguments, deallocation, loops, LLVM conversion with the bare-pointer
/// calling convention, and the artifact ABI entry points.
std::string getLinalgToLLVMPipeline(const CPUPipelineOptions &options);

} // namespace tessera

#endif // TESSERA_PIPELINES_PIPELINES_H
