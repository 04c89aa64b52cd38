//===- Passes.td - CPU target passes -----------------------*- tablegen -*-===//
//
// Passes that prepare LLVM-dialect IR for the CPU artifact. Alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TARGET_CPU_PASSES_TD
#define TESSERA_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// ApproximateMath
//===----------------------------------------------------------------------===//

def ApproximateMath : Pass<"tessera-approximate-math"> {
  let summary = "Expand f32 transcendental math ops into polynomial code";
  let description = [{
    `convert-math-to-libm` turns `math.erf`, `math.exp`, ... into calls of
    libm's scalar `erff`, `expf`, ...: one call per element, which keeps
    LLVM's loop vectorizer away from the whole loop. A Transformer's GELU
    and softmax spent 26% of the model's time in `__erff` and `__expf`.
    This pass rewrites the f32 (scalar or vector) ops named in `ops` with
    upstream's polynomial approximations (range reduction plus a minimax
    polynomial, built from `arith` and `math.fma`, valid over the whole
    f32 range including infinities and NaN), so the loops that contain
    them vectorize. Ops on other element types are left to libm.

    ```mlir
    %e = math.erf %x : f32
    // becomes a sign split, a clamp of |x| and three polynomial pieces
    // selected by interval, e.g.
    %ax = math.absf %x : f32
    %p = math.fma %ax, %c1, %c0 : f32
    ...
    %e = arith.select %neg, %negated, %r : f32
    ```
  }];
  let options = [
    ListOption<"ops", "ops", "std::string",
               "Math ops to approximate (default: erf, exp, expm1, tanh, "
               "log, log1p, log2)">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

//===----------------------------------------------------------------------===//
// ConvertConvToIm2col
//===----------------------------------------------------------------------===//

def ConvertConvToIm2col : Pass<"tessera-convert-conv-to-im2col",
                               "mlir::func::FuncOp"> {
  let summary = "Rewrite 2-D NCHW convolutions as im2col plus a contraction";
  let description = [{
    Rewrites every `linalg.conv_2d_nchw_fchw` on tensors as a contraction:
    the input is copied into an `N x (C*KH*KW) x (OH*OW)` matrix (the
    im2col copy), the filter is collapsed to `F x (C*KH*KW)`, and the
    convolution becomes a batch-matmul-like `linalg.generic` whose
    contiguous dimension is `OH*OW`. The copy is a `linalg.generic` over
    `(n, c, kh, kw, oh, ow)` with the convolution's affine input map, so
    its innermost loop copies a row segment (no div/mod per element) and any
    tile of it that covers whole `KH*KW` groups and output rows is exact:
    `tessera-tile-and-vectorize` computes such tiles inside the
    contraction's cache tiles. A 1x1 unit-stride convolution needs no copy;
    dynamic shapes and mixed element types fall back to upstream
    `linalg::rewriteInIm2Col`. `tessera-select-tile-config` and
    `tessera-tile-and-vectorize` then turn the contraction into
    register-blocked vector code.

    Before:
    ```mlir
    %r = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x4x6x6xf32>,
        tensor<8x4x3x3xf32>) outs(%init : tensor<1x8x4x4xf32>) -> ...
    ```
    After:
    ```mlir
    %wm = tensor.collapse_shape %w [[0], [1, 2, 3]] : ... into tensor<8x36xf32>
    %c6 = linalg.generic ... ins(%x) outs(%e : tensor<1x4x3x3x4x4xf32>)
    %col = tensor.collapse_shape %c6 [[0], [1, 2, 3], [4, 5]]
        : tensor<1x4x3x3x4x4xf32> into tensor<1x36x16xf32>
    %mm = linalg.generic {iterator_types = ["parallel", "parallel",
        "parallel", "reduction"]} ins(%wm, %col) outs(%init2 : tensor<1x8x16xf32>)
    %r = tensor.expand_shape %mm ... into tensor<1x8x4x4xf32>
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// EliminateConcatCopies
//===----------------------------------------------------------------------===//

def EliminateConcatCopies : Pass<"tessera-eliminate-concat-copies",
                                 "mlir::func::FuncOp"> {
  let summary = "Let the producers of a Concat's inputs write into its slices";
  let description = [{
    A Concat is a chain of `tensor.insert_slice` ops into a `tensor.empty`
    (or a `bufferization.alloc_tensor`, as for a decomposed pad), which
    bufferization turns into one copy per input. Upstream's
    `eliminate-empty-tensors` lets the producer write into the destination
    slice directly, but not through a reshape, and the im2col contractions
    yield `[n, f, h*w]` where the Concat inserts `[n, f, h, w]`.

    For each static, unit-stride insert_slice whose destination chain starts
    from such an undefined tensor, this pass follows the inserted value back
    through at most one `tensor.expand_shape` and through single-use results
    of destination-style ops and `scf.forall` to the `tensor.empty` init the
    producer writes into, and replaces that init with the slice of the
    destination root (moved up if needed), collapsed like the expand_shape.
    It applies only where the collapse merges dimensions the slice covers
    whole, so the slice's merged view stays contiguous. One-shot
    bufferization then writes the producer's tiles in place and folds the
    insert's copy away (given a static layout of the destination, as the
    CPU pipeline's identity-layout function boundaries ensure; with a
    dynamic one bufferization would copy the slice instead).

    ```mlir
    %e = tensor.empty() : tensor<1x64x3025xf32>
    %r = scf.forall ... shared_outs(%o = %e) -> (tensor<1x64x3025xf32>)
    %x = tensor.expand_shape %r [[0], [1], [2, 3]] output_shape [1, 64, 55, 55]
    %d = tensor.empty() : tensor<1x128x55x55xf32>
    %c = tensor.insert_slice %x into %d[0, 64, 0, 0] [1, 64, 55, 55] [1, 1, 1, 1]
    // becomes
    %d = tensor.empty() : tensor<1x128x55x55xf32>
    %s = tensor.extract_slice %d[0, 64, 0, 0] [1, 64, 55, 55] [1, 1, 1, 1]
    %m = tensor.collapse_shape %s [[0], [1], [2, 3]] : ... into tensor<1x64x3025xf32>
    %r = scf.forall ... shared_outs(%o = %m) -> (tensor<1x64x3025xf32>)
    %x = tensor.expand_shape %r ...
    %c = tensor.insert_slice %x into %d[0, 64, 0, 0] [1, 64, 55, 55] [1, 1, 1, 1]
    ```
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// EmitArtifactABI
//===----------------------------------------------------------------------===//

def EmitArtifactABI : Pass<"tessera-emit-artifact-abi", "mlir::ModuleOp"> {
  let summary = "Add the artifact ABI entry points around the model function";
  let description = [{
    Works on the LLVM dialect after lowering with the bare-pointer calling
    convention: the model function takes one pointer per input and one per
    output. Adds `tessera_artifact_run(ptr %buffers)` that loads each
    pointer from the array and calls the model function, and
    `tessera_artifact_metadata()` returning the metadata text described in
    `include/tessera-c/Artifact.h`. The metadata text is the
    `tessera.artifact_metadata` string attribute of the model function,
    written at the tensor level (while names, dtypes and shapes are still
    known) by `buildArtifactMetadata`.

    Before:
    ```mlir
    llvm.func @main(%in: !llvm.ptr, %out: !llvm.ptr) attributes {
        tessera.artifact_metadata = "tessera-artifact 1\n..."}
    ```
    After: the same, plus
    ```mlir
    llvm.func @tessera_artifact_run(%buffers: !llvm.ptr) -> i32
    llvm.func @tessera_artifact_metadata() -> !llvm.ptr
    ```
  }];
  let options = [
    Option<"entryName", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the model function">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// CopiesToLinalg
//===----------------------------------------------------------------------===//

def CopiesToLinalg : Pass<"tessera-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a copy between non-contiguous memrefs
    (for example into the interior of a padded buffer) to a call to
    `memrefCopy` from MLIR's C runner utilities, which an artifact must not
    depend on. This pass rewrites such copies into `linalg.copy`, which
    `convert-linalg-to-loops` turns into plain loops. Copies between
    contiguous identity-layout buffers stay `memref.copy` (a memcpy).

    ```mlir
    memref.copy %a, %sub : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
    // becomes
    linalg.copy ins(%a : ...) outs(%sub : ...)
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// DecomposeDepthwiseConv
//===----------------------------------------------------------------------===//

def DecomposeDepthwiseConv : Pass<"tessera-decompose-depthwise-conv",
                                  "mlir::func::FuncOp"> {
  let summary = "Rewrite NCHW depthwise convolutions as elementwise ops";
  let description = [{
    Rewrites each static-shape `linalg.depthwise_conv_2d_nchw_chw` (any
    strides and dilations) into one `linalg.generic` with only parallel
    loops over the output (n, c, oh, ow) that sums the KH*KW taps: a
    strided `tensor.extract_slice` of the input per tap (identity map)
    times that tap's filter column (read per channel). Upstream vectorizes
    depthwise convolutions only in NHWC; this form is vectorized along the
    contiguous `ow` dimension like any elementwise op, and it fuses with
    the bias broadcast that initializes it and with an activation after it
    (`tessera-fuse-elementwise-ops`). The init therefore becomes an input
    (upstream fuses producers of inputs only); a `linalg.fill` init becomes
    the scalar the sum starts from.

    ```mlir
    %r = linalg.depthwise_conv_2d_nchw_chw
           {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
           ins(%in, %w : tensor<1x8x9x9xf32>, tensor<8x3x3xf32>)
           outs(%bias : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
    // becomes
    %in00 = tensor.extract_slice %in[0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 2, 2]
    %w00 = tensor.extract_slice %w[0, 0, 0] [8, 1, 1] [1, 1, 1]
           : tensor<8x3x3xf32> to tensor<8xf32>
    ...  // 9 taps
    %r = linalg.generic {iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
           ins(%in00, ..., %in22, %w00, ..., %w22, %bias) outs(%empty) {
      // %bias + %in00 * %w00 + ... + %in22 * %w22
    }
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// DecomposePads
//===----------------------------------------------------------------------===//

def DecomposePads : Pass<"tessera-decompose-pads", "mlir::func::FuncOp"> {
  let summary = "Rewrite constant pads as a fill plus an insert_slice";
  let description = [{
    Rewrites each static `tensor.pad` with a constant padding value and
    constant padding that is directly in a function into `linalg.fill`s of
    the border of a new tensor (`bufferization.alloc_tensor`, which neither
    CSE nor the tensor.empty folds touch), one slab per padded side, and a
    `tensor.insert_slice` of the source at the low padding offsets.
    Bufferized, `tensor.pad` is a scalar loop nest in the model function;
    the fills get parallel tiles from `tessera-select-tile-config`, and the
    copy of the insert is split by `tessera-parallelize-copies`.

    ```mlir
    %p = tensor.pad %src low[0, 0, 1, 1] high[0, 0, 1, 1] {
    ^bb0(%i: index, %j: index, %k: index, %l: index):
      tensor.yield %zero : f32
    } : tensor<1x8x4x4xf32> to tensor<1x8x6x6xf32>
    // becomes
    %t = bufferization.alloc_tensor() : tensor<1x8x6x6xf32>
    %top = tensor.extract_slice %t[0, 0, 0, 0] [1, 8, 1, 6] [1, 1, 1, 1]
    %f0 = linalg.fill ins(%zero : f32) outs(%top : tensor<1x8x1x6xf32>)
    %t0 = tensor.insert_slice %f0 into %t[0, 0, 0, 0] [1, 8, 1, 6] [1, 1, 1, 1]
    ...  // bottom row [0, 0, 5, 0], left [0, 0, 1, 0] and right [0, 0, 1, 5]
         // columns of 4 rows
    %p = tensor.insert_slice %src into %t3[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1]
    ```
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// DecomposePooling
//===----------------------------------------------------------------------===//

def DecomposePooling : Pass<"tessera-decompose-pooling", "mlir::func::FuncOp"> {
  let summary = "Rewrite NCHW max and sum pooling as elementwise ops";
  let description = [{
    Rewrites each static-shape float `linalg.pooling_nchw_max` and
    `linalg.pooling_nchw_sum` (any strides and dilations, at most 49 taps)
    into one `linalg.generic` with only parallel loops over the output
    (n, c, oh, ow) that combines the KH*KW taps, each a strided
    `tensor.extract_slice` of the input (identity map), with
    `arith.maximumf` or `arith.addf`. A `linalg.fill` init becomes the
    scalar the combination starts from; any other init is an input. The
    named ops take the scalar lowering; this is the form of
    `tessera-decompose-depthwise-conv`, which gets vector code along `ow`
    and parallel tiles over channels.

    ```mlir
    %r = linalg.pooling_nchw_max
           {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
           ins(%in, %window : tensor<1x8x9x9xf32>, tensor<3x3xf32>)
           outs(%fill : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
    // becomes (%fill = linalg.fill ins(%lowest))
    %in00 = tensor.extract_slice %in[0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 2, 2]
    ...  // 9 taps
    %r = linalg.generic {iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
           ins(%in00, ..., %in22) outs(%empty) {
      // maximumf(... maximumf(%lowest, %in00) ..., %in22)
    }
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// ElideOutputCopies
//===----------------------------------------------------------------------===//

def ElideOutputCopies : Pass<"tessera-elide-output-copies", "mlir::func::FuncOp"> {
  let summary = "Compute outputs directly into the caller's output buffers";
  let description = [{
    After `buffer-results-to-out-params`, each result is computed into a
    fresh `memref.alloc` and then copied into its output argument (upstream's
    `hoist-static-allocs` does not apply to public functions). This pass
    replaces such an allocation by the output argument itself when the copy
    is the allocation's last use, removing one full copy per output.

    Before:
    ```mlir
    func.func @main(%in: memref<4xf32>, %out: memref<4xf32>) {
      %a = memref.alloc() : memref<4xf32>
      linalg.copy ins(%in : memref<4xf32>) outs(%a : memref<4xf32>)
      memref.copy %a, %out : memref<4xf32> to memref<4xf32>
      return
    }
    ```
    After:
    ```mlir
    func.func @main(%in: memref<4xf32>, %out: memref<4xf32>) {
      linalg.copy ins(%in : memref<4xf32>) outs(%out : memref<4xf32>)
      return
    }
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// FlattenConstantGlobals
//===----------------------------------------------------------------------===//

def FlattenConstantGlobals : Pass<"tessera-flatten-constant-globals",
                                  "mlir::ModuleOp"> {
  let summary = "Give constant globals (weights) a one-dimensional type";
  let description = [{
    The LLVM translation of a multi-dimensional constant builds nested arrays
    with one uniqued constant per innermost row, millions for a ResNet's
    weights, which dominated compile time. Weights are contiguous, so each
    constant `memref.global` of rank >= 2 becomes one dimension with the
    same data, and each `memref.get_global` of it an `expand_shape` back:

    ```mlir
    memref.global "private" constant @w : memref<64x3x3x3xf32> = dense_resource<w>
    %0 = memref.get_global @w : memref<64x3x3x3xf32>
    // becomes
    memref.global "private" constant @w : memref<1728xf32> = dense_resource<w>
    %1 = memref.get_global @w : memref<1728xf32>
    %0 = memref.expand_shape %1 [[0, 1, 2, 3]] output_shape [64, 3, 3, 3]
        : memref<1728xf32> into memref<64x3x3x3xf32>
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// FoldConstantTransposes
//===----------------------------------------------------------------------===//

def FoldConstantTransposes : Pass<"tessera-fold-constant-transposes",
                                  "mlir::func::FuncOp"> {
  let summary = "Transpose constant weights at compile time";
  let description = [{
    Replaces a `linalg.transpose` of an `arith.constant` (dense or
    `dense_resource`) by the transposed constant, so that a layout change
    of a weight (Gemm with `transB = 1`) costs nothing at run time.

    ```mlir
    %w = arith.constant dense_resource<fc.weight> : tensor<1000x512xf32>
    %t = linalg.transpose ins(%w : tensor<1000x512xf32>)
           outs(%e : tensor<512x1000xf32>) permutation = [1, 0]
    // becomes
    %t = arith.constant dense_resource<transposed> : tensor<512x1000xf32>
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// FuseElementwiseOps
//===----------------------------------------------------------------------===//

def FuseElementwiseOps : Pass<"tessera-fuse-elementwise-ops",
                              "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise producers where nothing is recomputed";
  let description = [{
    Upstream's elementwise fusion (and reshape propagation by expansion),
    restricted to producers with one use whose consumer reads each of
    their elements once: the consumer's indexing map for the fused operand
    is a permutation of its loops. Fusing a GELU into the MatMul that
    consumes it would recompute the GELU for every output column:

    ```mlir
    %g = linalg.generic {...parallel...} ins(%x) -> tensor<128x512xf32>  // erf
    %y = linalg.matmul ins(%g, %w : tensor<128x512xf32>, tensor<512x128xf32>) ...
    // stays as it is (the matmul reads %g[m, k] for every n), while
    %a = linalg.generic {...} ins(%x) -> tensor<128x512xf32>             // add
    %r = linalg.generic {...} ins(%a) -> tensor<128x512xf32>             // relu
    // become one generic.
    ```
  }];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// LegalizeEmptyBoundaryBuffers
//===----------------------------------------------------------------------===//

def LegalizeEmptyBoundaryBuffers
    : Pass<"tessera-legalize-empty-boundary-buffers", "mlir::func::FuncOp"> {
  let summary = "Give zero-element arguments a type the bare-pointer ABI accepts";
  let description = [{
    The artifact passes every input and output as one pointer
    (`use-bare-ptr-memref-call-conv`), and upstream's conversion leaves a
    function untouched when an argument has no elements (`memref<0x3xf32>`).
    This pass retypes such arguments of public functions as `memref<1xT>`
    and recovers the original type with a `memref.reinterpret_cast`; nothing
    reads or writes through it, as the buffer has no elements. The artifact
    metadata keeps the real shapes.

    Before:
    ```mlir
    func.func @main(%in: memref<0x3xf32>, %out: memref<3x0xf32>)
    ```
    After:
    ```mlir
    func.func @main(%in: memref<1xf32>, %out: memref<1xf32>) {
      %0 = memref.reinterpret_cast %in to offset: [0], sizes: [0, 3],
           strides: [3, 1] : memref<1xf32> to memref<0x3xf32>
      ...
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// OutlineParallelLoops
//===----------------------------------------------------------------------===//

def OutlineParallelLoops : Pass<"tessera-outline-parallel-loops",
                                "mlir::ModuleOp"> {
  let summary = "Run outermost scf.parallel loops on the runtime's thread pool";
  let description = [{
    Every outermost `scf.parallel` without results becomes a call to
    `tessera_rt_parallel_for(n, body, ctx)` from
    `include/tessera-c/Artifact.h`. Its body moves to a new private function
    `@<func>_parallel_<i>(i64 begin, i64 end, !llvm.ptr ctx)` that runs the
    linearized iterations `[begin, end)` in order. Values the body uses from
    above are stored into an `!llvm.struct` on the caller's stack (one
    `llvm.alloca` at function entry); memrefs travel as their LLVM
    descriptors through `builtin.unrealized_conversion_cast`, which the LLVM
    conversions and `reconcile-unrealized-casts` fold away. Constants are
    rematerialized in the body. Runs on memrefs, before `convert-scf-to-cf`.

    Before:
    ```mlir
    func.func @f(%m: memref<64xf32>) {
      scf.parallel (%i) = (%c0) to (%c64) step (%c16) {
        "use"(%m, %i) : (memref<64xf32>, index) -> ()
      }
    }
    ```
    After:
    ```mlir
    func.func private @f_parallel_0(%begin: i64, %end: i64, %ctx: !llvm.ptr) {
      // load %m's descriptor from %ctx; scf.for over [begin, end) ...
    }
    func.func @f(%m: memref<64xf32>) {
      %ctx = llvm.alloca %c1 x !llvm.struct<(struct<(ptr, ptr, i64, ...)>, i64, i64, i64)>
      // store %m's descriptor and the bounds into %ctx
      %fn = func.constant @f_parallel_0 : (i64, i64, !llvm.ptr) -> ()
      call @tessera_rt_parallel_for(%n, %fn, %ctx) : (i64, (i64, i64, !llvm.ptr) -> (), !llvm.ptr) -> ()
    }
    ```
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect",
                           "mlir::scf::SCFDialect"];
}

//===----------------------------------------------------------------------===//
// PackContractionOperands
//===----------------------------------------------------------------------===//

def PackContractionOperands : Pass<"tessera-pack-contraction-operands",
                                   "mlir::func::FuncOp"> {
  let summary = "Read the right-hand side of contractions from packed panels";
  let description = [{
    For each contraction whose `tessera.tile_config` has `pack_rhs` (see
    `tessera-select-tile-config`), rewrites its right-hand side B[..., k, n]
    as `linalg.unpack` of a packed copy P[..., n / w, k, w], w being the
    register tile's width along n. P is a constant folded at compile time
    when B is a constant (MatMul/Gemm weights, transposed convolution
    weights), else a `linalg.transpose` of B's expanded view that gets a
    parallel-only tile config. The IR still computes the same thing;
    `tessera-tile-and-vectorize` then makes each cache tile read its slice
    of P directly (contiguous panels instead of rows of B a full row
    apart, which alias in L1 when that is a multiple of 1 KiB) and drops
    the unpack.

    Before:
    ```mlir
    %b = arith.constant dense_resource<w> : tensor<256x1024xf32>
    %r = linalg.matmul {tessera.tile_config = {..., vector = array<i64: 8, 32, 1>,
                        pack_rhs}}
        ins(%a, %b : tensor<64x256xf32>, tensor<256x1024xf32>) ...
    ```
    After:
    ```mlir
    %p = arith.constant dense_resource<packed> : tensor<32x256x32xf32>
    %u = linalg.unpack %p outer_dims_perm = [1, 0] inner_dims_pos = [1]
        inner_tiles = [32] into %e : tensor<32x256x32xf32> -> tensor<256x1024xf32>
    %r = linalg.matmul {...} ins(%a, %u : ...) ...
    ```
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of one vector register, for the tile config of a "
           "run-time packing copy">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// ParallelizeCopies
//===----------------------------------------------------------------------===//

def ParallelizeCopies : Pass<"tessera-parallelize-copies", "mlir::func::FuncOp"> {
  let summary = "Split large memref copies into parallel loops of pieces";
  let description = [{
    After bufferization, Concats (`tensor.insert_slice`), pad interiors and
    the copies bufferization inserts are `memref.copy` ops in the model
    function, which run serially (as scalar loops when strided). This pass
    rewrites each `memref.copy` directly in the function body with a static
    shape of at least `min-elements` elements into an `scf.parallel` loop
    over its outermost dimension of extent > 1, in pieces of a divisor of
    that extent that gives at least 8 pieces where possible; each iteration
    copies one piece (a subview of each side).
    `tessera-outline-parallel-loops` then runs the pieces on the thread pool.
    A copy between two identical views (the same value, or subviews of the
    same value with the same offsets, sizes and strides) is erased.

    ```mlir
    memref.copy %src, %dst : memref<1x64x55x55xf32> to memref<1x64x55x55xf32, strided<...>>
    // becomes
    scf.parallel (%i) = (%c0) to (%c64) step (%c8) {
      %s = memref.subview %src[0, %i, 0, 0] [1, 8, 55, 55] [1, 1, 1, 1]
      %d = memref.subview %dst[0, %i, 0, 0] [1, 8, 55, 55] [1, 1, 1, 1]
      memref.copy %s, %d
    }
    ```
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", /*default=*/"4096",
           "Copies with fewer elements stay serial">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect"];
}

//===----------------------------------------------------------------------===//
// PrepareEpilogueFusion
//===----------------------------------------------------------------------===//

def PrepareEpilogueFusion : Pass<"tessera-prepare-epilogue-fusion",
                                 "mlir::func::FuncOp"> {
  let summary = "Put a contraction's bias and epilogue on its iteration space";
  let description = [{
    Prepares `tessera-tile-and-vectorize` to fuse a contraction with its
    elementwise producers and consumers. The reshapes that
    `tessera-convert-conv-to-im2col` leaves between them (a collapsed bias
    broadcast as the init, an expanded result feeding an activation) are
    folded by collapsing the elementwise generics onto the contraction's
    shape, and an elementwise consumer that reads the contraction's result
    through the identity map takes it as its init and updates it in place:

    ```mlir
    %c = linalg.generic {...reduction...} ins(%w, %col) outs(%bias) -> tensor<1x64x3136xf32>
    %e = tensor.expand_shape %c [[0], [1], [2, 3]] ...
    %r = linalg.generic {...} ins(%e) outs(%empty : tensor<1x64x56x56xf32>)  // relu
    // becomes
    %c = linalg.generic {...reduction...} ins(%w, %col) outs(%bias) -> tensor<1x64x3136xf32>
    %r = linalg.generic {...} outs(%c : tensor<1x64x3136xf32>)  // relu in place
    %e = tensor.expand_shape %r [[0], [1], [2, 3]] ...
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// SelectTileConfig
//===----------------------------------------------------------------------===//

def SelectTileConfig : Pass<"tessera-select-tile-config", "mlir::func::FuncOp"> {
  let summary = "Choose how each linalg op is tiled and vectorized";
  let description = [{
    Writes a `tessera.tile_config` attribute on each linalg op that the CPU
    heuristic (`lib/Target/CPU/TileConfig.h`) knows how to tile: today
    f32 contractions whose last output dimension is also the contiguous
    dimension of the right-hand side (linalg.matmul, batch matmuls, the
    im2col form of convolutions). The attribute has one size per loop of
    the op's iteration space at three levels: `parallel` (scf.forall tiles
    run by the thread pool), `reduction` (cache tiles of the reduction
    loop) and `vector` (the register tile, vectorized). A unit `pack_rhs`
    field asks for a packed right-hand side (`shouldPackRhs`: a constant B,
    or B rows a multiple of 2 KiB apart; see
    `tessera-pack-contraction-operands`); every policy decides it the same
    way from the chosen sizes. An op that already
    has the attribute keeps it, so a user or a tuner can override the
    heuristic by editing the IR; `tessera-tile-and-vectorize` applies it.

    With `policy=model`, the config is the candidate (see
    `getCandidateConfigs`: the heuristic's choice plus the cost model's
    candidate space) that the XGBoost cost model (cost-model/) predicts
    fastest on this machine's hardware profile; `policy=tune` also uses the
    latencies that `tessera-tune` measured. Both keep the heuristic's
    config unless another candidate is predicted (or measured) at least 10%
    faster: predictions are uncertain and the heuristic is a good default.
    A ranking model (the shipped `cpu-rank.json`) gives no latencies: there
    a contraction's config changes only where the model's probability that
    the candidate beats the heuristic's config is at least 0.8, and the
    other ops keep the heuristic's (docs/cost-model.md).

    ```mlir
    %r = linalg.matmul ins(%a, %b : tensor<64x512xf32>, tensor<512x256xf32>)
                       outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
    // becomes
    %r = linalg.matmul {tessera.tile_config = {
             parallel = array<i64: 64, 256, 0>,
             reduction = array<i64: 0, 0, 256>,
             vector = array<i64: 8, 32, 1>}} ins(...) outs(...)
    ```
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of one vector register (16 for AVX-512, 8 for AVX2)">,
    Option<"policy", "policy", "std::string", /*default=*/"\"heuristic\"",
           "How configs are chosen: `heuristic`; `model` (the candidate the "
           "cost model predicts fastest); `tune` (like `model`, but "
           "latencies measured on this machine in the tuning database "
           "replace predictions and failed candidates are excluded); "
           "`candidate` (candidate number `candidate` for the root op, for "
           "tessera-tune)">,
    Option<"costModel", "cost-model", "std::string", /*default=*/"\"\"",
           "XGBoost model file (JSON) of the `model` and `tune` policies; "
           "empty means the shipped CPU model">,
    Option<"tuningDatabase", "tuning-db", "std::string", /*default=*/"\"\"",
           "SQLite tuning database that the `tune` policy reads">,
    Option<"candidate", "candidate", "int64_t", /*default=*/"-1",
           "Candidate index of the `candidate` policy">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Attach `tessera.tile_explain` (candidates, predictions, the "
           "features that drove the prediction) to ops a model decided">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// SplitParallelTiles
//===----------------------------------------------------------------------===//

def SplitParallelTiles : Pass<"tessera-split-parallel-tiles",
                              "mlir::func::FuncOp"> {
  let summary = "Give every tiled op enough parallel tiles for the threads";
  let description = [{
    Tile configs are chosen for cache and register reuse on one core. An op
    whose `tessera.tile_config` leaves one parallel tile has no scf.forall
    after tiling and runs inline in the model function on one thread; one
    with fewer tiles than threads leaves threads idle while it runs. This
    pass makes the parallel tiles of each op whose config has parallel
    tiles smaller until there are at least `min-tiles` of them. A new tile
    divides the loop's extent and is a multiple of the register tile (so
    the register and reduction levels are unchanged, and `pack_rhs` panels
    stay whole) and, for the loops a fused im2col input reads, of its
    groups (whole output rows). Each step shrinks the tile of the loop
    whose split re-reads the fewest input elements (a contraction's A tile
    when n is split, its B panel when m is; an im2col tile is recomputed).
    Configs without parallel tiles and ops with fewer than `min-points`
    iteration points are left alone.

    ```mlir
    %r = linalg.generic {..., tessera.tile_config = {
             parallel = array<i64: 1, 48, 169, 0>, ...,
             vector = array<i64: 1, 8, 16, 1>}} ...  // one tile
    // becomes (min-tiles=4)
    %r = linalg.generic {..., tessera.tile_config = {
             parallel = array<i64: 1, 8, 169, 0>, ...,
             vector = array<i64: 1, 8, 16, 1>}} ...  // six tiles
    ```
  }];
  let options = [
    Option<"minTiles", "min-tiles", "int64_t", /*default=*/"4",
           "Parallel tiles each op should have at least, where its loops "
           "allow">,
    Option<"minPoints", "min-points", "int64_t", /*default=*/"262144",
           "Ops with fewer iteration points (the product of their loop "
           "extents) are left alone">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// TileAndVectorize
//===----------------------------------------------------------------------===//

def TileAndVectorize : Pass<"tessera-tile-and-vectorize", "mlir::func::FuncOp"> {
  let summary = "Tile linalg ops on tensors by their tile config and vectorize";
  let description = [{
    For each linalg op with a `tessera.tile_config` (see
    `tessera-select-tile-config`), on tensors:
    1. tiles with `scf::tileUsingSCF` at three levels: an `scf.forall` over
       the `parallel` sizes, an `scf.for` over the `reduction` sizes, and
       `scf.for` loops over the `vector` (register tile) sizes;
    2. peels register-tile loops whose step does not divide their trip
       count, so every register tile has a static shape;
       With `pack_rhs`, each reduction tile whose right-hand side is a
       slice of a `linalg.unpack` from `tessera-pack-contraction-operands`
       reads the same slice of the packed panels instead (one more loop,
       over panels, in place of n's register-tile loop); unpacks still read
       afterwards are lowered with `linalg::lowerUnPack`;
       A reduction tile that reads a slice of the collapsed im2col copy of
       `tessera-convert-conv-to-im2col`, covering whole `KH*KW` groups and
       output rows, computes that tile of the copy right before its use
       (contractions are tiled before the other ops for this); the copy's
       rows are vector reads and writes, strided rows (stride-2 stems and
       downsampling) in chunks of 16 lanes read contiguously and narrowed
       with a shuffle;
       The elementwise epilogue of a product computed transposed
       (`tessera-transpose-narrow-contractions`) gets 16 x 16 register tiles
       of its own (columns for a narrower remainder), whose transposes
       become register shuffles (`Shuffle16x16`);
    3. vectorizes the register tiles (`linalg::vectorize`); a tile that
       cannot be vectorized stays a linalg op and takes the scalar lowering;
    4. forms `vector.contract`, hoists loop-invariant code and the
       accumulator's read/write out of the reduction loop (so it lives in
       registers), and lowers contractions to outer products and
       `vector.fma`.

    Before:
    ```mlir
    %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 32, 0>,
        reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>}}
        ins(%a, %b : tensor<8x16xf32>, tensor<16x32xf32>)
        outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
    ```
    After (abridged):
    ```mlir
    %acc0 = vector.transfer_read %c ... : tensor<8x32xf32>, vector<8x32xf32>
    %acc = scf.for %k = %c0 to %c16 step %c1 iter_args(%v = %acc0) -> (vector<8x32xf32>) {
      ... vector.fma %a_k_i, %b_k, %v_i : vector<32xf32> ...
    }
    vector.transfer_write %acc, %c ...
    ```
  }];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

//===----------------------------------------------------------------------===//
// TransposeNarrowContractions
//===----------------------------------------------------------------------===//

def TransposeNarrowContractions : Pass<"tessera-transpose-narrow-contractions",
                                       "mlir::func::FuncOp"> {
  let summary = "Vectorize convolutions with odd spatial sizes along channels";
  let description = [{
    A convolution in contraction form `out[n, f, p] += W[f, k] * col[n, k, p]`
    is vectorized along `p = OH*OW`. When `p` is not a multiple of the
    vector width (7x7, 13x13, 55x55) but the output channels `f` are a
    multiple of half of it, this pass computes the transposed product
    `outT[n, p, f] += col[n, k, p] * Wt[k, f]` instead (`Wt` is a
    `linalg.transpose` of the weight, folded at compile time by
    `tessera-fold-constant-transposes`), and an elementwise epilogue adds
    the original init (the bias), applies the in-place epilogue that
    followed (activation, residual add) and writes the `[n, f, p]` layout:

    ```mlir
    %c = linalg.generic {(n, f, p, k)} ins(%w, %col) outs(%bias) -> tensor<1x512x49xf32>
    %r = linalg.generic {(n, f, p)} outs(%c) { relu }
    // becomes
    %wt = linalg.transpose ins(%w : tensor<512x4608xf32>) ... permutation = [1, 0]
    %ct = linalg.generic {(n, p, f, k)} ins(%col, %wt) outs(%zeros) -> tensor<1x49x512xf32>
    %r = linalg.generic {(n, f, p)} ins(%ct : (n, p, f)) outs(%bias) { relu(ct + bias) }
    ```

    A `linalg.matmul` whose right-hand side is a constant (or the transpose
    of one, a Gemm with `transB`) and whose N leaves a partial register tile
    (1000 classes) is computed over N padded with zero columns to the next
    multiple of two vector widths, when that adds at most 1/8 of the work;
    the original init is added to the first N columns:

    ```mlir
    %r = linalg.matmul ins(%a, %b : tensor<1x512xf32>, tensor<512x1000xf32>) outs(%bias : tensor<1x1000xf32>)
    // becomes
    %bp = arith.constant dense_resource<padded> : tensor<512x1024xf32>
    %p = linalg.matmul ins(%a, %bp : ...) outs(%zeros : tensor<1x1024xf32>)
    %s = tensor.extract_slice %p[0, 0] [1, 1000] [1, 1]
    %r = linalg.generic ins(%s) outs(%bias) { s + bias }
    ```
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of a vector register">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // TESSERA_TARGET_CPU_PASSES_TD
