//===- CPUPipeline.cpp - The CPU compilation pipeline ---------------------===//
//
// Textual pass pipelines from the Graph dialect down to the LLVM dialect for
// the CPU target. They are strings on purpose: what tessera-compile runs can
// be pasted into `tessera-opt --pass-pipeline=...` to debug one step.
//
//===----------------------------------------------------------------------===//

#include "tessera/Pipelines/Pipelines.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

using namespace tessera;

std::string
tessera::getGraphToLinalgPipeline(const CPUPipelineOptions &options) {
  std::vector<std::string> passes = {
      "canonicalize",
      "convert-graph-to-linalg",
      "canonicalize",
  };
  // Dispatch regions (root op + fused elementwise ops) group the lowering.
  if (options.optLevel > 0)
    passes.insert(llvm::find(passes, "convert-graph-to-linalg"),
                  "func.func(tessera-form-dispatches)");
  // Depthwise convolutions as elementwise ops, so that they fuse with their
  // bias and activation (see DecomposeDepthwiseConv.cpp).
  if (options.optLevel > 0)
    passes.push_back("func.func(tessera-decompose-depthwise-conv)");
  // Max and sum pooling in the same form (see DecomposePooling.cpp).
  if (options.optLevel > 0)
    passes.push_back("func.func(tessera-decompose-pooling)");
  if (options.optLevel > 0)
    passes.push_back("func.func(tessera-fuse-elementwise-ops)");
  passes.push_back("cse");
  return "builtin.module(" + llvm::join(passes, ",") + ")";
}

/// f32 lanes of the host's widest vector registers: code is compiled for
/// the host CPU (see lib/Target/CPU/ObjectEmitter.cpp).
static int64_t hostVectorWidth() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return 16;
  if (features.lookup("avx"))
    return 8;
  return 4;
}

/// Options of tessera-select-tile-config: the vector width and, when not
/// the heuristic, the tile policy and its files.
static std::string getTilePolicyOptions(const CPUPipelineOptions &options,
                                        int64_t width) {
  std::string text = "{vector-width=" + std::to_string(width);
  if (options.tilePolicy != "heuristic") {
    text += " policy=" + options.tilePolicy;
    if (!options.costModelPath.empty())
      text += " cost-model=" + options.costModelPath;
    if (!options.tuningDatabase.empty())
      text += " tuning-db=" + options.tuningDatabase;
    if (options.tileCandidate >= 0)
      text += " candidate=" + std::to_string(options.tileCandidate);
    if (options.explainTiles)
      text += " explain=true";
  }
  return text + "}";
}

std::string
tessera::getLinalgToLLVMPipeline(const CPUPipelineOptions &options) {
  std::vector<std::string> passes;
  // Dispatch regions are dissolved before the CPU transforms (all levels).
  passes.push_back("func.func(tessera-inline-dispatches)");
  if (options.optLevel > 0) {
    int64_t width =
        options.vectorWidth > 0 ? options.vectorWidth : hostVectorWidth();
    // Tile and vectorize on tensors: convolutions become im2col + a
    // contraction, each contraction gets a tile config (an attribute that
    // `tessera-opt` shows and a user may edit), and the configs are applied.
    std::string widthOption = "{vector-width=" + std::to_string(width) + "}";
    passes.push_back("func.func(tessera-convert-conv-to-im2col,"
                     "tessera-prepare-epilogue-fusion,"
                     "tessera-transpose-narrow-contractions" +
                     widthOption +
                     ",tessera-fold-constant-transposes,"
                     // Pads as border fills plus an insert.
                     "tessera-decompose-pads,"
                     "tessera-select-tile-config" +
                     getTilePolicyOptions(options, width) +
                     // At least two parallel tiles per op, so that no op runs
                     // on one thread when there are two (docs/perf.md: four
                     // made the Transformer's matmuls 7% slower).
                     ",tessera-split-parallel-tiles{min-tiles=2}"
                     ",tessera-pack-contraction-operands" + widthOption +
                     ",tessera-tile-and-vectorize)");
    passes.push_back("canonicalize");
    passes.push_back("cse");
    // Concat inputs computed in place (after CSE merged the empty tensors).
    passes.push_back("func.func(tessera-eliminate-concat-copies)");
  }
  std::vector<std::string> lowering = {
      // Tensors to buffers. Function boundaries get identity layouts so the
      // model function can use the bare-pointer calling convention.
      "one-shot-bufferize{bufferize-function-boundaries "
      "function-boundary-type-conversion=identity-layout-map}",
      // Without this, in-place tiles are copied onto themselves.
      "canonicalize",
      // Results become caller-provided output buffers.
      "buffer-results-to-out-params{modify-public-functions=true}",
      "func.func(tessera-elide-output-copies)",
      // Parallel tiles (scf.forall on buffers) as scf.parallel.
      "func.func(scf-forall-to-parallel)",
      "buffer-deallocation-pipeline",
      "canonicalize",
      "convert-bufferization-to-memref",
      // Weights as 1-D arrays: nested LLVM arrays cost minutes on ResNets.
      "tessera-flatten-constant-globals",
      // Concats and pad interiors as parallel pieces.
      "func.func(tessera-parallelize-copies)",
      "func.func(tessera-copies-to-linalg,convert-linalg-to-loops,"
      "tessera-legalize-empty-boundary-buffers)",
      // Multi-dimensional transfers become 1-D ones; full unrolling keeps
      // temporary allocas out of loops.
      "convert-vector-to-scf{full-unroll=true}",
      // Parallel loops run on the runtime's thread pool.
      "tessera-outline-parallel-loops",
      // Polynomial erf / exp / tanh / log: libm calls block vectorization.
      "tessera-approximate-math",
      "lower-affine",
      "convert-scf-to-cf",
      "expand-strided-metadata",
      "lower-affine",
      "convert-vector-to-llvm",
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
  passes.insert(passes.end(), lowering.begin(), lowering.end());
  return "builtin.module(" + llvm::join(passes, ",") + ")";
}
