//===- ReductionOps.td - Graph dialect: reduction ops ---------------*- tablegen -*-===//
//
// Reductions, arg-reductions, scans and normalizations.
// Included from GraphOps.td (which defines TG_Op).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_REDUCTION_OPS_TD
#define TESSERA_GRAPH_REDUCTION_OPS_TD

//===----------------------------------------------------------------------===//
// Reductions over a set of axes
//===----------------------------------------------------------------------===//

/// A reduction of the elements along `axes` with one combining function.
/// The other ONNX reductions (L1, L2, LogSum, LogSumExp, SumSquare) are
/// composed by the importer from these and elementwise ops.
class TG_ReduceOp<string mnemonic, string onnxName, string desc>
    : TG_Op<mnemonic, [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = desc # " over a set of axes (ONNX " # onnxName # ")";
  let description = [{
    Reduces the input along `axes`: sorted, distinct, non-negative (the
    importer normalizes ONNX's negative axes and resolves "all axes" and
    `noop_with_empty_axes`). An empty `axes` reduces nothing: the result is
    the input. With `keepdims` the reduced dimensions stay with size 1,
    otherwise they are removed.

    ONNX may pass the axes as a tensor computed at run time. The importer
    then derives `axes` from the model's recorded output shape and passes
    the run-time tensor as `runtime_axes`; the lowering checks at run time
    that it names the same reduction (else the run fails with an error).

    ```mlir
    %r = tg.}] # mnemonic # [{ %x {axes = array<i64: 1>, keepdims = false}
         : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       Optional<AnyRankedTensor>:$runtime_axes,
                       DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input (`runtime_axes` $runtime_axes^ `:` type($runtime_axes))? attr-dict
    `:` functional-type($input, results)
  }];
  let hasVerifier = 1;
}

def TG_ReduceSumOp : TG_ReduceOp<"reduce_sum", "ReduceSum", "Sum">;
def TG_ReduceMeanOp : TG_ReduceOp<"reduce_mean", "ReduceMean",
                                  "Arithmetic mean">;
def TG_ReduceMaxOp : TG_ReduceOp<"reduce_max", "ReduceMax", "Maximum">;
def TG_ReduceMinOp : TG_ReduceOp<"reduce_min", "ReduceMin", "Minimum">;
def TG_ReduceProdOp : TG_ReduceOp<"reduce_prod", "ReduceProd", "Product">;

//===----------------------------------------------------------------------===//
// Arg-reductions
//===----------------------------------------------------------------------===//

/// The index of the extreme element along one axis (i64 result).
class TG_ArgReduceOp<string mnemonic, string onnxName, string extreme>
    : TG_Op<mnemonic, [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Index of the " # extreme # " element along an axis (ONNX "
                # onnxName # ")";
  let description = [{
    The i64 index along `axis` (non-negative, normalized by the importer)
    of the }] # extreme # [{ element. Ties give the first index, or the last
    with `select_last_index`. With `keepdims` the reduced dimension stays
    with size 1, otherwise it is removed.

    ```mlir
    %i = tg.}] # mnemonic # [{ %x {axis = 1 : i64, keepdims = false}
         : (tensor<2x3xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def TG_ArgMaxOp : TG_ArgReduceOp<"arg_max", "ArgMax", "largest">;
def TG_ArgMinOp : TG_ArgReduceOp<"arg_min", "ArgMin", "smallest">;

def TG_HardmaxOp : TG_Op<"hardmax", [Pure, SameOperandsAndResultType]> {
  let summary = "One-hot of the largest element along an axis (ONNX Hardmax, "
                "opset >= 13)";
  let description = [{
    1 at the first largest element along `axis` (non-negative), 0
    elsewhere. Older opsets coerce the input to 2-D; the importer expresses
    that with `tg.flatten`/`tg.reshape` around this op.

    ```mlir
    %y = tg.hardmax %x {axis = 1 : i64} : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def TG_TopKOp : TG_Op<"top_k", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "The k largest or smallest elements along an axis (ONNX TopK)";
  let description = [{
    The `k` largest (or, without `largest`, smallest) elements along `axis`
    (non-negative) and their i64 indices. Equal elements keep the order of
    their indices (the lower index comes first). The elements are sorted
    (largest first, or smallest first); without `sorted` the order is left
    to the implementation, which sorts anyway.

    ONNX passes `k` as a tensor; when it is computed at run time, the
    importer takes `k` from the model's recorded output shape and passes the
    tensor as `runtime_k`, which the lowering checks at run time.

    ```mlir
    %v, %i = tg.top_k %x {axis = 1 : i64, k = 2 : i64}
             : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       Optional<AnyRankedTensor>:$runtime_k,
                       I64Attr:$k, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$largest,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs AnyRankedTensor:$values, AnyRankedTensor:$indices);
  let assemblyFormat = [{
    $input (`runtime_k` $runtime_k^ `:` type($runtime_k))? attr-dict
    `:` functional-type($input, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Scans
//===----------------------------------------------------------------------===//

def TG_CumSumOp : TG_Op<"cumsum", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Cumulative sum along an axis (ONNX CumSum)";
  let description = [{
    Element `i` along the axis is the sum of the elements `0..i`
    (`0..i-1` with `exclusive`); with `reverse` the sums run from the end.
    The axis is the attribute `axis` (non-negative) when the importer knows
    it, or the rank-0 or 1-element integer operand `runtime_axis` (ONNX
    semantics: negative counts from the end), chosen at run time.

    ```mlir
    %y = tg.cumsum %x {axis = 0 : i64, exclusive = true} : tensor<5xf32>
    %z = tg.cumsum %x runtime_axis %a : tensor<i32> {reverse = true} : tensor<2x3xf64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       Optional<AnyRankedTensor>:$runtime_axis,
                       OptionalAttr<I64Attr>:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input (`runtime_axis` $runtime_axis^ `:` type($runtime_axis))? attr-dict
    `:` type($input)
  }];
  let hasVerifier = 1;
}

#endif // TESSERA_GRAPH_REDUCTION_OPS_TD
