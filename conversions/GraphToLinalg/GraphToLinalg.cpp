//===- GraphToLinalg.cpp - Graph to linalg patterns -----------------------===//
#include "conversions/GraphToLinalg/GraphToLinalg.h"
#include "mlir/IR/PatternMatch.h"
void tessera::populateGraphToLinalgPatterns(mlir::RewritePatternSet &) {}
