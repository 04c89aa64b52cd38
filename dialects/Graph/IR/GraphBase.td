//===- GraphBase.td - Graph dialect definition -------------*- tablegen -*-===//
//
// The Graph dialect (`tg`) holds ONNX semantics on tensors: one op per ONNX
// concept, static or symbolic shapes, with verifiers, shape inference and
// folders. It is the first IR the ONNX importer produces.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_BASE_TD
#define TESSERA_GRAPH_BASE_TD

include "mlir/IR/OpBase.td"

def Graph_Dialect : Dialect {
  let name = "tg";
  let cppNamespace = "::tessera::graph";
  let summary = "ONNX semantics on tensors";
  let description = [{
    The Graph dialect models neural-network graphs the way ONNX defines them:
    multidirectional (numpy) broadcasting, NCHW layouts, explicit attributes
    for strides, pads and dilations. Ops work on ranked tensors of builtin
    element types; their result types are inferred from operands and
    attributes so that the importer never has to trust a model's value_info.
    Weights are `tg.constant` ops holding `DenseResourceElementsAttr` blobs so
    that megabytes of data are never uniqued in the context.
  }];
  let hasConstantMaterializer = 1;
  let dependentDialects = [];
}

#endif // TESSERA_GRAPH_BASE_TD
