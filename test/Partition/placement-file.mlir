// RUN: tessera-opt %s --tessera-partition-dispatches="targets=cpu,cuda profiles=%S/Inputs/cpu-small.json,%tessera_src/profiles/h100.json cost-model=none placement=%S/Inputs/placement-relu-cuda.json" | FileCheck %s

// The placement file moves the elementwise dispatch to the GPU, against
// the costs: its input crosses, and its result comes back for the return.
// CHECK-LABEL: func.func @big_and_small
// CHECK-DAG: tdev.transfer %arg0 : tensor<512x512xf32> from #tdev.target<"cpu", "test-cpu"> to #tdev.target<"cuda", "h100">
// CHECK-DAG: %[[IN1:.+]] = tdev.transfer %arg1 : tensor<4xf32> from #tdev.target<"cpu", "test-cpu"> to #tdev.target<"cuda", "h100">
// CHECK: %[[RELU:.+]] = tdev.dispatch root("elementwise") name("relu") attributes {tdev.placement = #tdev.target<"cuda", "h100">
// CHECK:   linalg.generic {{.*}} ins(%[[IN1]] :
// CHECK: %[[BACK:.+]] = tdev.transfer %[[RELU]] : tensor<4xf32> from #tdev.target<"cuda", "h100"> to #tdev.target<"cpu", "test-cpu">
// CHECK: return %{{.+}}, %[[BACK]]
#id = affine_map<(d0) -> (d0)>
func.func @big_and_small(%a: tensor<512x512xf32>, %x: tensor<4xf32>) -> (tensor<512x512xf32>, tensor<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<512x512xf32>
  %0 = tdev.dispatch root("tg.matmul") name("mm") -> tensor<512x512xf32> {
    %e = tensor.empty() : tensor<512x512xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<512x512xf32>) -> tensor<512x512xf32>
    %m = linalg.matmul ins(%a, %w : tensor<512x512xf32>, tensor<512x512xf32>) outs(%f : tensor<512x512xf32>) -> tensor<512x512xf32>
    tdev.yield %m : tensor<512x512xf32>
  }
  %1 = tdev.dispatch root("elementwise") name("relu") -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    tdev.yield %r : tensor<4xf32>
  }
  return %0, %1 : tensor<512x512xf32>, tensor<4xf32>
}
