//===- ImportIndexing.cpp - ONNX indexing ops --------------------------------===//
//
// Importers of the ONNX ops lowered to the ops of IndexingOps.td.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace tessera::onnx {

void registerIndexingImporters(OpImporterRegistry &registry) {}

} // namespace tessera::onnx
