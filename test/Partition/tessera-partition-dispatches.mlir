// RUN: tessera-opt %s --split-input-file --tessera-partition-dispatches="targets=cpu,cuda profiles=%S/Inputs/cpu-small.json,%tessera_src/profiles/h100.json cost-model=none" | FileCheck %s

// A large matrix product goes to the simulated H100 (its input crosses
// once, its result comes back once for the return); the tiny elementwise
// dispatch stays on the host, where no transfer is needed.
// CHECK: module attributes {tdev.targets = [#tdev.target<"cpu", "test-cpu">, #tdev.target<"cuda", "h100">]}
// CHECK-LABEL: func.func @big_and_small
// CHECK: %[[IN:.+]] = tdev.transfer %arg0 : tensor<512x512xf32> from #tdev.target<"cpu", "test-cpu"> to #tdev.target<"cuda", "h100">
// CHECK: %[[MM:.+]] = tdev.dispatch root("tg.matmul") name("mm") attributes {tdev.placement = #tdev.target<"cuda", "h100">, tdev.predicted_us = {{.*}} : f64}
// CHECK:   linalg.matmul ins(%[[IN]], %{{.+}} :
// CHECK: %[[OUT:.+]] = tdev.transfer %[[MM]] : tensor<512x512xf32> from #tdev.target<"cuda", "h100"> to #tdev.target<"cpu", "test-cpu">
// CHECK: %[[RELU:.+]] = tdev.dispatch root("elementwise") name("relu") attributes {tdev.placement = #tdev.target<"cpu", "test-cpu">
// CHECK:   linalg.generic {{.*}} ins(%arg1 :
// CHECK: return %[[OUT]], %[[RELU]]

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

// -----

// A chain of small dispatches: moving the data would cost more than the
// GPU saves, so everything stays on the host and nothing is transferred.
// CHECK-LABEL: func.func @small_chain
// CHECK-NOT: tdev.transfer
// CHECK: tdev.dispatch root("elementwise") attributes {tdev.placement = #tdev.target<"cpu", "test-cpu">
// CHECK: tdev.dispatch root("elementwise") attributes {tdev.placement = #tdev.target<"cpu", "test-cpu">
// CHECK-NOT: tdev.transfer
// CHECK: return
#id = affine_map<(d0) -> (d0)>
func.func @small_chain(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = tdev.dispatch root("elementwise") -> tensor<1024xf32> {
    %e = tensor.empty() : tensor<1024xf32>
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<1024xf32>) outs(%e : tensor<1024xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<1024xf32>
    tdev.yield %r : tensor<1024xf32>
  }
  %1 = tdev.dispatch root("elementwise") -> tensor<1024xf32> {
    %e = tensor.empty() : tensor<1024xf32>
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%0 : tensor<1024xf32>) outs(%e : tensor<1024xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.addf %in, %in : f32
      linalg.yield %m : f32
    } -> tensor<1024xf32>
    tdev.yield %r : tensor<1024xf32>
  }
  return %1 : tensor<1024xf32>
}
