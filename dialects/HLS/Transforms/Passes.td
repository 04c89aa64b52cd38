//===- Passes.td - HLS dialect passes ----------------------*- tablegen -*-===//
//
// Passes that carve HLS kernels out of a bufferized model and shape their
// loop nests for pipelining. Keep this file alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_HLS_PASSES_TD
#define TESSERA_HLS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// BufferAccumulators
//===----------------------------------------------------------------------===//

def BufferAccumulators : Pass<"thls-buffer-accumulators", "mlir::func::FuncOp"> {
  let summary = "Keep the output row of a reduction in an on-chip buffer";
  let description = [{
    After `thls-permute-loops`, a kernel's loop nest is `parallel... ->
    reductions... -> parallel p` and its innermost body reads, updates and
    writes back one output element per iteration: through the m_axi port,
    a read-modify-write of off-chip memory. This pass gives the reductions
    an on-chip accumulator for the output row indexed by `p`: loaded before
    the outermost reduction loop, updated in the pipelined loop, written
    back after it. The DSE partitions it cyclically by the unroll factor so
    that the unrolled copies update different banks.

    Before:
    ```mlir
    affine.for %oc = 0 to 64 {
      affine.for %ic = 0 to 64 {
        affine.for %ow = 0 to 56 {
          %acc = affine.load %out[%oc, %ow] : memref<64x56xf32>
          ...
          affine.store %sum, %out[%oc, %ow] : memref<64x56xf32>
        }
      }
    }
    ```
    After:
    ```mlir
    affine.for %oc = 0 to 64 {
      %buf = memref.alloca() : memref<56xf32>
      affine.for %p = 0 to 56 { (copy %out[%oc, %p] to %buf[%p]) }
      affine.for %ic = 0 to 64 {
        affine.for %ow = 0 to 56 {
          %acc = affine.load %buf[%ow] : memref<56xf32>
          ...
          affine.store %sum, %buf[%ow] : memref<56xf32>
        }
      }
      affine.for %p = 0 to 56 { (copy %buf[%p] to %out[%oc, %p]) }
    }
    ```
    Each element still adds its terms in the same order.
  }];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// OutlineKernels
//===----------------------------------------------------------------------===//

def OutlineKernels : Pass<"thls-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Outline each linalg op of the model into an HLS kernel";
  let description = [{
    Turns every linalg op of the public (model) function, on buffers, into a
    `func.func` marked `thls.kernel` and replaces it with a `func.call`. The
    model function becomes the host schedule of the FPGA path; each kernel
    becomes one HLS top function.

    A kernel's arguments are the root buffers (function arguments,
    allocations, globals) that the op's operands view, never views: a view
    (subview, expand_shape, collapse_shape, reinterpret_cast) is re-created
    inside the kernel. That keeps every port a contiguous array with an
    identity layout, which is what a bare `float *` m_axi port can be, and
    what the host passes with the bare-pointer calling convention. Each port
    gets its own m_axi bundle so that the kernel can read them in parallel.

    Before:
    ```mlir
    func.func @model(%x: memref<64xf32>, %y: memref<64xf32>) {
      linalg.generic ... ins(%x : memref<64xf32>) outs(%y : memref<64xf32>) {...}
      return
    }
    ```
    After:
    ```mlir
    func.func @model(%x: memref<64xf32>, %y: memref<64xf32>) {
      call @k0_generic(%x, %y) : (memref<64xf32>, memref<64xf32>) -> ()
      return
    }
    func.func private @k0_generic(
        %a0: memref<64xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem0">},
        %a1: memref<64xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem1">})
        attributes {thls.kernel} {
      linalg.generic ... ins(%a0 : memref<64xf32>) outs(%a1 : memref<64xf32>) {...}
      return
    }
    ```
  }];
  let dependentDialects = ["tessera::hls::HLSDialect",
                           "mlir::func::FuncDialect"];
}

//===----------------------------------------------------------------------===//
// PermuteLoops
//===----------------------------------------------------------------------===//

def PermuteLoops : Pass<"thls-permute-loops", "mlir::func::FuncOp"> {
  let summary = "Move reductions outward and a contiguous parallel loop "
                "innermost in HLS kernels";
  let description = [{
    A pipelined loop reaches II=1 only when consecutive iterations do not
    update the same value: with a reduction innermost (the `k` of a matmul,
    the `ic, kh, kw` of a convolution) every iteration waits for the
    previous floating-point add. This pass interchanges the loops of each
    `linalg.generic` of a `thls.kernel` function so that the reduction
    loops sit outside one parallel loop, chosen as the innermost dimension
    of the output (stride 1, so reads and writes burst) unless it has fewer
    than 4 iterations, then the longest parallel loop. Each output element
    still sums its terms in the same order, so results do not change.

    Before (matmul, loops m, n, k):
    ```mlir
    linalg.generic {indexing_maps = [(m, n, k) -> (m, k), (m, n, k) -> (k, n),
                                     (m, n, k) -> (m, n)],
                    iterator_types = ["parallel", "parallel", "reduction"]}
    ```
    After (loops m, k, n):
    ```mlir
    linalg.generic {indexing_maps = [(m, k, n) -> (m, k), (m, k, n) -> (k, n),
                                     (m, k, n) -> (m, n)],
                    iterator_types = ["parallel", "reduction", "parallel"]}
    ```
    Run it after `linalg-generalize-named-ops`; named ops are left alone.
  }];
  let options = [
    Option<"minInnerTrip", "min-inner-trip", "int64_t", /*default=*/"4",
           "Shortest output-innermost loop kept innermost; shorter ones "
           "give way to the longest parallel loop">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // TESSERA_HLS_PASSES_TD
