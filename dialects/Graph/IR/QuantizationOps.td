//===- QuantizationOps.td - Graph dialect: quantization ops ------*- tablegen -*-===//
//
// Quantize/dequantize and integer matmul/conv ops (int8/uint8 inference).
// Included from GraphOps.td (which defines TG_Op).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_QUANTIZATION_OPS_TD
#define TESSERA_GRAPH_QUANTIZATION_OPS_TD

#endif // TESSERA_GRAPH_QUANTIZATION_OPS_TD
