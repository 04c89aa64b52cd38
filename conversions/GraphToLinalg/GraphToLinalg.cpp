//===- GraphToLinalg.cpp - Graph to linalg patterns -----------------------===//
//
// Collects the lowering patterns of every op family (one file each in this
// folder) into the pattern set of the Graph to linalg conversion.
//
//===----------------------------------------------------------------------===//

#include "conversions/GraphToLinalg/GraphToLinalg.h"
#include "conversions/GraphToLinalg/RuntimeCheck.h"
#include "conversions/GraphToLinalg/Utils.h"

#include "mlir/IR/PatternMatch.h"

void tessera::populateGraphToLinalgPatterns(mlir::RewritePatternSet &patterns) {
  using namespace tessera::graph_to_linalg;
  populateConstantPatterns(patterns);
  populateElementwisePatterns(patterns);
  populateConvPatterns(patterns);
  populateMatMulPatterns(patterns);
  populatePoolingPatterns(patterns);
  populateNormalizationPatterns(patterns);
  populateDataMovementPatterns(patterns);
  populateReductionPatterns(patterns);
  populateIndexingPatterns(patterns);
  populateSpatialPatterns(patterns);
  populateQuantizationPatterns(patterns);
  populateRuntimeShapePatterns(patterns);
}
