//===- Passes.td - Graph dialect passes --------------------*- tablegen -*-===//
//
// Passes that work on the Graph dialect. Keep this file alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_PASSES_TD
#define TESSERA_GRAPH_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// InferShapes
//===----------------------------------------------------------------------===//

def InferShapes : Pass<"tg-infer-shapes", "mlir::func::FuncOp"> {
  let summary = "Propagate refined argument types through the graph";
  let description = [{
    Re-infers the result type of every Graph op from its operands, in
    program order, and updates the function's result types to match. Use it
    after specializing a function's argument types (for example a symbolic
    batch dimension fixed with `--shape`).

    Before:
    ```mlir
    func.func @f(%x: tensor<1x8xf32>) -> tensor<?x8xf32> {
      %y = tg.relu %x : tensor<1x8xf32>
      %z = tg.add %y, %y : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<?x8xf32>
      return %z : tensor<?x8xf32>
    }
    ```
    After: `%z` and the function result are `tensor<1x8xf32>`.
  }];
  let dependentDialects = ["tessera::graph::GraphDialect"];
}

#endif // TESSERA_GRAPH_PASSES_TD
