//===- IndexingOps.td - Graph dialect: indexing ops ---------------*- tablegen -*-===//
//
// Gather/scatter-style indexing, generators and losses.
// Included from GraphOps.td (which defines TG_Op).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_INDEXING_OPS_TD
#define TESSERA_GRAPH_INDEXING_OPS_TD

//===----------------------------------------------------------------------===//
// Element-wise gathers and scatters
//===----------------------------------------------------------------------===//

def TG_GatherElementsOp : TG_Op<"gather_elements",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Gather single elements along an axis (ONNX GatherElements)";
  let description = [{
    `indices` has the rank of `data`; the result has the shape of `indices`
    and `result[i..., j, k...] = data[i..., indices[i..., j, k...], k...]`
    with the index at `axis`. Negative indices count from the end; an index
    still out of range is clamped (ONNX leaves it undefined).

    ```mlir
    %y = tg.gather_elements %data, %idx {axis = 1 : i64}
         : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

def TG_ScatterElementsOp : TG_Op<"scatter_elements",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Scatter single elements along an axis (ONNX ScatterElements)";
  let description = [{
    A copy of `data` where, for every position `p` of `indices`, the element
    `p` with its `axis` coordinate replaced by `indices[p]` is combined with
    `updates[p]`: replaced (`reduction = "none"`), added (`"add"`) or
    multiplied (`"mul"`). Updates apply in row-major order of `indices`, so
    with duplicate indices the last one wins for `"none"`. Negative indices
    count from the end; an index still out of range is clamped.

    ```mlir
    %y = tg.scatter_elements %data, %idx, %upd {axis = 1 : i64, reduction = "add"}
         : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                       AnyRankedTensor:$updates,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// N-dimensional gathers and scatters
//===----------------------------------------------------------------------===//

def TG_GatherNDOp : TG_Op<"gather_nd", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Gather slices by index tuples (ONNX GatherND)";
  let description = [{
    The last dimension of `indices` (size `k`) holds index tuples into the
    dimensions `[batch_dims, batch_dims + k)` of `data`; the first
    `batch_dims` dimensions of both are batch dimensions and must agree.
    The result shape is `indices.shape[:-1] + data.shape[batch_dims + k:]`.
    Negative indices count from the end; an index still out of range is
    clamped.

    ```mlir
    %y = tg.gather_nd %data, %idx
         : (tensor<2x2xi32>, tensor<2x2xi64>) -> tensor<2xi32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

def TG_ScatterNDOp : TG_Op<"scatter_nd", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Scatter slices at index tuples (ONNX ScatterND)";
  let description = [{
    A copy of `data` where the slice of `data` at each index tuple of
    `indices` (last dimension of size `k`) is combined with the matching
    slice of `updates` (shape `indices.shape[:-1] + data.shape[k:]`):
    replaced (`reduction = "none"`), added (`"add"`) or multiplied
    (`"mul"`), in row-major order of the tuples. Negative indices count
    from the end; an index still out of range is clamped.

    ```mlir
    %y = tg.scatter_nd %data, %idx, %upd {reduction = "mul"}
         : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                       AnyRankedTensor:$updates,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Generators and masks
//===----------------------------------------------------------------------===//

def TG_TriluOp : TG_Op<"trilu", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Keep the upper or lower triangle of matrices (ONNX Trilu)";
  let description = [{
    Over the last two dimensions `(i, j)`, keeps the elements with
    `j - i >= k` (`upper`) or `j - i <= k` (lower) and zeroes the others.
    `k` is an optional rank-0 integer tensor read at run time (default 0).

    ```mlir
    %y = tg.trilu %x, %k {upper = false}
         : (tensor<4x5xi64>, tensor<i64>) -> tensor<4x5xi64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, Optional<AnyRankedTensor>:$k,
                       DefaultValuedAttr<BoolAttr, "true">:$upper);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input (`,` $k^)? attr-dict `:` functional-type(operands, results)
  }];
}

def TG_OneHotOp : TG_Op<"one_hot", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "One-hot encoding (ONNX OneHot with a known depth)";
  let description = [{
    Inserts a dimension of size `depth` at `axis` (of the result) and sets
    `values[1]` where its coordinate equals the index, `values[0]`
    elsewhere. `values` is a 2-element tensor giving the result's element
    type. Indices may be integers or floats (truncated toward zero);
    negative ones count from `depth`, and indices outside `[-depth, depth)`
    give a row of `values[0]`.

    When ONNX's depth is a run-time input (the attribute then comes from the
    model's recorded output shape), it is the optional one-element
    `runtime_depth` operand: the lowering checks at run time that it
    truncates to `depth` and makes the run fail otherwise.

    ```mlir
    %y = tg.one_hot %idx, %values {axis = -1 : i64, depth = 10 : i64}
         : (tensor<3xi64>, tensor<2xf32>) -> tensor<3x10xf32>
    %z = tg.one_hot %idx, %values, %depth {depth = 10 : i64}
         : (tensor<3xi64>, tensor<2xf32>, tensor<f32>) -> tensor<3x10xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$indices, AnyRankedTensor:$values,
                       Optional<AnyRankedTensor>:$runtime_depth,
                       I64Attr:$depth,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $indices `,` $values (`,` $runtime_depth^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def TG_RangeOp : TG_Op<"range", [Pure]> {
  let summary = "Arithmetic sequence of a known length (ONNX Range)";
  let description = [{
    `result[i] = start + i * delta` for a 1-D result whose static length
    comes from the model (ONNX's `max(ceil((limit - start) / delta), 0)`
    with run-time `start`, `limit` and `delta`, which are rank-0 tensors of
    the result's element type). The lowering checks at run time that
    `limit` gives that length and makes the run fail otherwise. With
    constant operands the importer folds Range to a `tg.constant` instead.

    ```mlir
    %y = tg.range %start, %limit, %delta
         : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$start, AnyRankedTensor:$limit,
                       AnyRankedTensor:$delta);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $start `,` $limit `,` $delta attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def TG_NLLLossOp : TG_Op<"nll_loss", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Negative log-likelihood loss (ONNX NegativeLogLikelihoodLoss)";
  let description = [{
    `input` holds log-probabilities `[N, C, d1, ...]`, `target` class
    indices `[N, d1, ...]` and the optional `weight` one weight per class
    `[C]`. Each element's loss is `-input[n, target[n, d...], d...]` times
    `weight[target]` (1 without weights), and 0 where `target` equals
    `ignore_index`. `reduction` is `none` (the per-element losses, shaped
    like `target`), `sum`, or `mean` (the sum divided by the sum of the
    weights of the elements not ignored); the last two give a rank-0
    result. A class index out of `[0, C)` that is not ignored is clamped
    (ONNX leaves it undefined).

    ```mlir
    %l = tg.nll_loss %logp, %target, %w {ignore_index = -1 : i64, reduction = "mean"}
         : (tensor<3x5x2xf32>, tensor<3x2xi64>, tensor<5xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$target,
                       Optional<AnyRankedTensor>:$weight,
                       DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction,
                       OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $target (`,` $weight^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // TESSERA_GRAPH_INDEXING_OPS_TD
