//===- GraphToLinalg.h - Graph to linalg conversion ----------*- C++ -*-===//
//
// Pattern set lowering the Graph dialect to linalg/tensor/arith/math.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSIONS_GRAPHTOLINALG_GRAPHTOLINALG_H
#define TESSERA_CONVERSIONS_GRAPHTOLINALG_GRAPHTOLINALG_H

namespace mlir {
class RewritePatternSet;
class TypeConverter;
} // namespace mlir

namespace tessera {

/// Adds the patterns that rewrite every `tg` op into destination-style
/// tensor IR (linalg, tensor, arith, math).
void populateGraphToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace tessera

#endif // TESSERA_CONVERSIONS_GRAPHTOLINALG_GRAPHTOLINALG_H
