//===- IndexingOps.cpp - Graph dialect: indexing ops --------------------------===//
//
// Result-type inference and verifiers of the ops in IndexingOps.td.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

using namespace mlir;
using namespace tessera::graph;
