//===- ImportMatMul.cpp - MatMul and Gemm ---------------------------------===//
//
// ONNX MatMul maps to tg.matmul; Gemm to tg.gemm with its scaling and
// transpose attributes and an optional C.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "lib/Frontend/ONNX/NodeContext.h"

using namespace mlir;

namespace tessera::onnx {

static LogicalResult importMatMul(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  FailureOr<Value> result =
      node.create<graph::MatMulOp>({node.getInput(0), node.getInput(1)});
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

static LogicalResult importGemm(NodeContext &node) {
  if (failed(node.requireInputs(2)))
    return failure();
  OpBuilder &b = node.getBuilder();
  llvm::SmallVector<Value> operands = {node.getInput(0), node.getInput(1)};
  if (Value c = node.getInput(2))
    operands.push_back(c);
  llvm::SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("alpha", b.getF32FloatAttr(node.getFloat("alpha", 1.0f))),
      b.getNamedAttr("beta", b.getF32FloatAttr(node.getFloat("beta", 1.0f))),
      b.getNamedAttr("trans_a", b.getBoolAttr(node.getInt("transA", 0) != 0)),
      b.getNamedAttr("trans_b", b.getBoolAttr(node.getInt("transB", 0) != 0))};
  FailureOr<Value> result = node.create<graph::GemmOp>(operands, attrs);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

void registerMatMulImporters(OpImporterRegistry &registry) {
  registry["MatMul"] = importMatMul;
  registry["Gemm"] = importGemm;
}

} // namespace tessera::onnx
