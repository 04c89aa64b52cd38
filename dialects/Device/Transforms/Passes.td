//===- Passes.td - Device dialect passes -------------------*- tablegen -*-===//
//
// Passes that form and dissolve dispatch regions. Keep this file
// alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DEVICE_PASSES_TD
#define TESSERA_DEVICE_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// FormDispatches
//===----------------------------------------------------------------------===//

def FormDispatches : Pass<"tessera-form-dispatches", "mlir::func::FuncOp"> {
  let summary = "Group Graph ops into dispatch regions around root ops";
  let description = [{
    Wraps the Graph (`tg`) compute ops of a function in `tdev.dispatch`
    regions, the way IREE forms dispatch regions:

    - Every root op (convolution, matrix product, Gemm, Einsum, pooling,
      reduction, softmax-like) starts a dispatch.
    - An elementwise op (unary, binary, where, clip, cast, batch_norm in
      inference form, (de)quantization) joins the dispatch of its producer
      when it is the only user of the producer's result; chains are followed
      (conv -> add -> relu). Its other operands may come from anywhere (a
      residual add).
    - An elementwise op whose result is used only by a dispatch member joins
      that dispatch as a producer (a dequantize feeding a matmul).
    - Every other compute op gets a dispatch of its own (data movement ops,
      elementwise ops left over, which take their own consumer chains);
      shape-only ops (reshape, flatten) and constants stay outside, free for
      later passes.

    A dispatch sits where its last member was; its results are the values
    used after it. A group whose placement would break dominance is not
    fused (each of its ops gets a dispatch of its own).

    Before:
    ```mlir
    %0 = tg.conv %x, %w, %b {...} : (...) -> tensor<1x8x16x16xf32>
    %1 = tg.relu %0 : tensor<1x8x16x16xf32>
    %2 = tg.reshape %1, %shape : (...) -> tensor<1x2048xf32>
    ```
    After:
    ```mlir
    %0 = tdev.dispatch root("tg.conv") -> tensor<1x8x16x16xf32> {
      %3 = tg.conv %x, %w, %b {...} : (...) -> tensor<1x8x16x16xf32>
      %4 = tg.relu %3 : tensor<1x8x16x16xf32>
      tdev.yield %4 : tensor<1x8x16x16xf32>
    }
    %2 = tg.reshape %0, %shape : (...) -> tensor<1x2048xf32>
    ```
  }];
  let dependentDialects = ["tessera::device::DeviceDialect"];
}

//===----------------------------------------------------------------------===//
// InlineDispatches
//===----------------------------------------------------------------------===//

def InlineDispatches : Pass<"tessera-inline-dispatches", "mlir::func::FuncOp"> {
  let summary = "Replace every dispatch region by its body";
  let description = [{
    Moves the ops of each `tdev.dispatch` in front of it and replaces its
    results by the yielded values, for the parts of the pipeline that work
    on plain functions.

    Before:
    ```mlir
    %0 = tdev.dispatch root("elementwise") -> tensor<4xf32> {
      %1 = tg.relu %x : tensor<4xf32>
      tdev.yield %1 : tensor<4xf32>
    }
    ```
    After:
    ```mlir
    %0 = tg.relu %x : tensor<4xf32>
    ```
  }];
}

#endif // TESSERA_DEVICE_PASSES_TD
