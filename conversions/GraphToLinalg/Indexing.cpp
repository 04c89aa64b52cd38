//===- Indexing.cpp - Indexing ops to linalg ------------------------------------===//
//
// Lowering of the ops in IndexingOps.td to linalg/tensor/arith.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;

void tessera::graph_to_linalg::populateIndexingPatterns(RewritePatternSet &patterns) {}
