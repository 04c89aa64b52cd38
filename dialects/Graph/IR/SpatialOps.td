//===- SpatialOps.td - Graph dialect: spatial ops ---------------*- tablegen -*-===//
//
// Spatial ops beyond Conv/Pool: transposed convolution and resizing; and
// Einsum, a contraction lowered the same way (one linalg.generic).
// (DepthToSpace and SpaceToDepth are imported as tg.reshape + tg.transpose,
// GlobalMaxPool as a tg.max_pool over the whole spatial extent.)
// Included from GraphOps.td (which defines TG_Op).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_SPATIAL_OPS_TD
#define TESSERA_GRAPH_SPATIAL_OPS_TD

def TG_ConvTransposeOp : TG_Op<"conv_transpose",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "N-d transposed convolution (ONNX ConvTranspose)";
  let description = [{
    The gradient of `tg.conv` with respect to its input: every input element
    `x[n, c, i...]` adds `x * w[c, m, k...]` to output position
    `i * strides + k * dilations - pads_begin` of channel
    `group(c) * M/group + m`. The input is `N x C x D1 x ... x Dn`, the
    weight `C x M/group x k1 x ... x kn`, the optional bias has size `M`.
    Output size per spatial dimension:
    `strides * (D - 1) + output_padding + (k - 1) * dilations + 1
     - pads_begin - pads_end`.
    `pads` holds the begin pads, then the end pads (ONNX order); the
    importer resolves `auto_pad` and `output_shape` into `pads` and
    `output_padding`.

    ```mlir
    %y = tg.conv_transpose %x, %w {dilations = array<i64: 1, 1>,
           group = 1 : i64, output_padding = array<i64: 1, 1>,
           pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 2>}
         : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x10x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                       Optional<AnyRankedTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def TG_ResizeOp : TG_Op<"resize", [Pure, AttrSizedOperandSegments]> {
  let summary = "Resize by interpolation (ONNX Resize, Upsample)";
  let description = [{
    Resizes every dimension of `input` to the static shape of the result
    type. Output coordinate `x` of a dimension of input size `in` maps to
    `x_original` by `coordinate_transformation_mode` (`half_pixel`,
    `pytorch_half_pixel`, `align_corners`, `asymmetric`,
    `tf_half_pixel_for_nn`, `tf_crop_and_resize`) using the dimension's
    scale: element `d` of the optional f32 `scales` operand (read at run
    time, as ONNX allows) or, without it, `out / in`. `mode` then picks the
    value: `nearest` (rounded by `nearest_mode`: `round_prefer_floor`,
    `round_prefer_ceil`, `floor`, `ceil`), `linear` (2 taps per dimension)
    or `cubic` (4 taps, `cubic_coeff_a`, `exclude_outside`); taps outside the
    input use the edge element. `tf_crop_and_resize` needs `roi` (the
    begins, then the ends, normalized) and yields `extrapolation_value`
    where `x_original` falls outside the input.

    A dimension whose output size equals its input size must have scale 1
    when `scales` is given; the lowering checks this at run time.

    ```mlir
    %y = tg.resize %x, %scales {mode = "linear"}
         : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       Optional<AnyRankedTensor>:$scales,
                       Optional<AnyRankedTensor>:$roi,
                       DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                       DefaultValuedAttr<StrAttr, "\"half_pixel\"">:
                         $coordinate_transformation_mode,
                       DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:
                         $nearest_mode,
                       DefaultValuedAttr<F64Attr, "-0.75">:$cubic_coeff_a,
                       DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                       DefaultValuedAttr<F64Attr, "0.0">:$extrapolation_value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input (`scales` $scales^)? (`roi` $roi^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TG_EinsumOp : TG_Op<"einsum", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Einstein summation (ONNX Einsum)";
  let description = [{
    `equation` is in explicit form with one lowercase or uppercase letter
    per dimension: `term,term,...->output` (no spaces, no ellipsis; the
    importer expands `...` and the implicit output). A letter repeated in
    one term takes the diagonal; letters missing from the output are summed
    over. Every occurrence of a letter must have the same size.

    ```mlir
    %y = tg.einsum %a, %b {equation = "bij,bjk->bik"}
         : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, StrAttr:$equation);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TESSERA_GRAPH_SPATIAL_OPS_TD
