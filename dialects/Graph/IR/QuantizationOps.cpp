//===- QuantizationOps.cpp - Graph dialect: quantization ops -------------------===//
//
// Result-type inference and verifiers of the ops in QuantizationOps.td.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeUtils.h"

using namespace mlir;
using namespace tessera::graph;
