//===- ImportSpatial.cpp - ONNX spatial ops --------------------------------===//
//
// Importers of the ONNX ops lowered to the ops of SpatialOps.td.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace tessera::onnx {

void registerSpatialImporters(OpImporterRegistry &registry) {}

} // namespace tessera::onnx
