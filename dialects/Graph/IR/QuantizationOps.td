//===- QuantizationOps.td - Graph dialect: quantization -*- tablegen -*-===//
//
// Quantize/dequantize and integer matmul/conv ops (int8/uint8 inference).
// Included from GraphOps.td (which defines TG_Op).
//
// Per-axis scales and zero points are not an attribute here: the importer
// reshapes a 1-D scale of ONNX `axis` to a shape that broadcasts along that
// axis (e.g. `[C]` to `[1, C, 1, 1]`), so both ops are elementwise with
// numpy broadcasting of the scale and zero point onto the input. The
// integer matmul/conv ops (MatMulInteger, ConvInteger, QLinearMatMul,
// QLinearConv) are imported as tg.cast to i32, tg.sub of the zero points,
// tg.matmul/tg.conv on i32 and, for the QLinear forms, a rescale in f32 and
// tg.quantize_linear.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_QUANTIZATION_OPS_TD
#define TESSERA_GRAPH_QUANTIZATION_OPS_TD

def TG_QuantizeLinearOp : TG_Op<"quantize_linear",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Linear quantization to 8-bit integers (ONNX QuantizeLinear)";
  let description = [{
    `saturate(round_half_to_even(input / scale) + zero_point)`, elementwise.
    `scale` (of the input's floating-point type) and `zero_point` (i8, ui8
    or si8; its type is the result's element type) broadcast onto the input
    with numpy rules and may not enlarge it. Saturation clamps to the range
    of the result's element type (0..255 for ui8, -128..127 for i8/si8).

    ```mlir
    %q = tg.quantize_linear %x, %scale, %zp
         : (tensor<1x3x2xf32>, tensor<1x3x1xf32>, tensor<1x3x1xui8>)
           -> tensor<1x3x2xui8>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                       AnyRankedTensor:$zero_point);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point attr-dict `:` functional-type(operands, results)
  }];
}

def TG_DequantizeLinearOp : TG_Op<"dequantize_linear",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Linear dequantization of integers (ONNX DequantizeLinear)";
  let description = [{
    `(input - zero_point) * scale`, elementwise, with the difference taken
    exactly in integers before it is converted to the scale's
    floating-point type (the result's element type). `zero_point` has the
    input's integer element type (8 or 32 bits); `scale` and `zero_point`
    broadcast onto the input with numpy rules and may not enlarge it.

    ```mlir
    %y = tg.dequantize_linear %q, %scale, %zp
         : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                       AnyRankedTensor:$zero_point);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point attr-dict `:` functional-type(operands, results)
  }];
}

def TG_BitShiftOp : TG_Op<"bit_shift",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Elementwise logical bit shift of unsigned integers (ONNX BitShift)";
  let description = [{
    Shifts each element of `lhs` by the matching element of `rhs` (numpy
    broadcasting), toward the most significant bit for `direction = "LEFT"`
    and toward the least significant bit for `"RIGHT"`. Both operands have
    the same unsigned integer type. Shift amounts of at least the bit width
    give 0 (bits shifted out are lost; this is the ONNX/numpy result, not
    LLVM's poison).

    ```mlir
    %z = tg.bit_shift %x, %y {direction = "RIGHT"}
         : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                       StrAttr:$direction);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // TESSERA_GRAPH_QUANTIZATION_OPS_TD
