//===- Passes.h - HLS dialect passes -------------------------*- C++ -*-===//
//
// Declares the passes that carve HLS kernels out of a bufferized model and
// shape their loop nests.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_HLS_TRANSFORMS_PASSES_H
#define TESSERA_DIALECTS_HLS_TRANSFORMS_PASSES_H

#include "dialects/HLS/IR/HLSDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Pass/Pass.h"

namespace tessera::hls {

#define GEN_PASS_DECL
#include "dialects/HLS/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/HLS/Transforms/Passes.h.inc"

} // namespace tessera::hls

#endif // TESSERA_DIALECTS_HLS_TRANSFORMS_PASSES_H
