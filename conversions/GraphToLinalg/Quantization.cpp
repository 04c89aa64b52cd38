//===- Quantization.cpp - Quantization ops to linalg ----------------------------===//
//
// Lowering of the ops in QuantizationOps.td to linalg/tensor/arith.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/Utils.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;

void tessera::graph_to_linalg::populateQuantizationPatterns(RewritePatternSet &patterns) {}
