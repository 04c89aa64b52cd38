//===- ImportQuantization.cpp - ONNX quantization ops ----------------------------===//
//
// Importers of the ONNX ops lowered to the ops of QuantizationOps.td.
//
//===----------------------------------------------------------------------===//

#include "lib/Frontend/ONNX/NodeContext.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace tessera::onnx {

void registerQuantizationImporters(OpImporterRegistry &registry) {}

} // namespace tessera::onnx
