//===- ReductionOps.cpp - Graph dialect: reduction ops --------------------------===//
//
// Result-type inference and verifiers of the ops in ReductionOps.td.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

using namespace mlir;
using namespace tessera::graph;
