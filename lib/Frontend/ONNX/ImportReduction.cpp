//===- ImportReduction.cpp - ONNX reduction ops --------------------------------===//
//
// Importers of the ONNX ops lowered to the ops of ReductionOps.td.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace tessera::onnx {

void registerReductionImporters(OpImporterRegistry &registry) {}

} // namespace tessera::onnx
