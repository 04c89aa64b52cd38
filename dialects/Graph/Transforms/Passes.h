//===- Passes.h - Graph dialect passes -----------------------*- C++ -*-===//
//
// Declares the passes of the Graph dialect.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
#define TESSERA_DIALECTS_GRAPH_TRANSFORMS_PASSES_H

#include "dialects/Graph/IR/GraphDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace tessera::graph {

#define GEN_PASS_DECL
#include "dialects/Graph/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Graph/Transforms/Passes.h.inc"

} // namespace tessera::graph

#endif // TESSERA_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
