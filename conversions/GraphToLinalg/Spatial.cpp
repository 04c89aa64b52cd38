//===- Spatial.cpp - Spatial ops to linalg ------------------------------------===//
//
// Lowering of the ops in SpatialOps.td to linalg/tensor/arith.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;

void tessera::graph_to_linalg::populateSpatialPatterns(RewritePatternSet &patterns) {}
