// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tg-infer-shapes))' | FileCheck %s

// A specialized argument type flows to every op and to the function result.
// CHECK-LABEL: func.func @refine
// CHECK-SAME: -> tensor<1x8xf32>
// CHECK: tg.add {{.*}} -> tensor<1x8xf32>
func.func @refine(%x: tensor<1x8xf32>) -> tensor<?x8xf32> {
  %y = tg.relu %x : tensor<1x8xf32>
  %z = tg.add %y, %y : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<?x8xf32>
  return %z : tensor<?x8xf32>
}
