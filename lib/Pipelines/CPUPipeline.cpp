//===- CPUPipeline.cpp - The CPU compilation pipeline ---------------------===//
//
// Textual pass pipelines from the Graph dialect down to the LLVM dialect for
// the CPU target. They are strings on purpose: what tessera-compile runs can
// be pasted into `tessera-opt --pass-pipeline=...` to debug one step.
//
//===----------------------------------------------------------------------===//

#include "tessera/Pipelines/Pipelines.h"

#include "llvm/ADT/StringExtras.h"

using namespace tessera;

std::string
tessera::getGraphToLinalgPipeline(const CPUPipelineOptions &options) {
  std::vector<std::string> passes = {
      "canonicalize",
      "convert-graph-to-linalg",
      "canonicalize",
  };
  if (options.optLevel > 0)
    passes.push_back("func.func(linalg-fuse-elementwise-ops)");
  passes.push_back("cse");
  return "builtin.module(" + llvm::join(passes, ",") + ")";
}

std::string
tessera::getLinalgToLLVMPipeline(const CPUPipelineOptions &options) {
  std::vector<std::string> passes = {
      // Tensors to buffers. Function boundaries get identity layouts so the
      // model function can use the bare-pointer calling convention.
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
      "func.func(tessera-copies-to-linalg,convert-linalg-to-loops)",
      "lower-affine",
      "convert-scf-to-cf",
      "expand-strided-metadata",
      "lower-affine",
      "finalize-memref-to-llvm{use-generic-functions=true}",
      "convert-math-to-llvm",
      "convert-math-to-libm",
      "convert-arith-to-llvm",
      "convert-index-to-llvm",
      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=true}",
      "convert-cf-to-llvm",
      "convert-ub-to-llvm",
      "reconcile-unrealized-casts",
      "tessera-emit-artifact-abi",
      "canonicalize",
  };
  (void)options;
  return "builtin.module(" + llvm::join(passes, ",") + ")";
}
