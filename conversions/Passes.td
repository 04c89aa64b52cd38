//===- Passes.td - Tessera conversion passes ---------------*- tablegen -*-===//
//
// Every conversion pass of Tessera, one banner each, alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSIONS_PASSES_TD
#define TESSERA_CONVERSIONS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// GraphToLinalg
//===----------------------------------------------------------------------===//

def ConvertGraphToLinalg : Pass<"convert-graph-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower the Graph dialect to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `tg` op into destination-style tensor IR: named linalg ops
    (convolutions, matmuls, pooling, transposes) where they exist, and
    `linalg.generic` for broadcasting elementwise ops, normalization and
    reductions. Padding becomes `tensor.pad`, reshapes become
    `tensor.collapse_shape`/`tensor.expand_shape` (a `tg.dynamic_reshape`
    also gets a run-time check of its shape operand: an `scf.if` that writes
    an error to stderr and calls `abort`), constants `arith.constant`
    (a `dense_resource` weight is not copied). Shapes must be static: every
    op with a dynamic dimension is reported, with the advice to fix it with
    `--shape`, and the pass fails; so does any other op left unlowered.

    Before:
    ```mlir
    %y = tg.relu %x : tensor<4xf32>
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %y = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %zero = arith.constant 0.0 : f32
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::LLVM::LLVMDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

#endif // TESSERA_CONVERSIONS_PASSES_TD
