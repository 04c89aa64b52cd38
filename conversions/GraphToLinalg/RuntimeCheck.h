//===- RuntimeCheck.h - Checks that fail a run with a message -*- C++ -*-===//
//
// Lowerings of ops whose static result shape the model only promises (a
// shape-like operand computed at run time) check the operand at run time:
// a failed check makes the artifact's run fail with a message naming the
// node, through the runtime service `tessera_rt_set_error`.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSIONS_GRAPHTOLINALG_RUNTIMECHECK_H
#define TESSERA_CONVERSIONS_GRAPHTOLINALG_RUNTIMECHECK_H

#include "mlir/IR/Builders.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace tessera::graph_to_linalg {

/// Emits `if (!ok) tessera_rt_set_error(message);` (see
/// include/tessera-c/Artifact.h). The computation goes on with the static
/// shapes, so nothing is accessed out of bounds; the run reports failure.
void emitRuntimeCheck(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Operation *op, mlir::Value ok,
                      llvm::StringRef message);

/// The lowerings of tg.shape_check, tg.dynamic_slice and tg.dynamic_pad.
void populateRuntimeShapePatterns(mlir::RewritePatternSet &patterns);

} // namespace tessera::graph_to_linalg

#endif // TESSERA_CONVERSIONS_GRAPHTOLINALG_RUNTIMECHECK_H
