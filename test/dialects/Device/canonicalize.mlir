// RUN: tessera-opt %s --split-input-file --canonicalize | FileCheck %s

// An unused result is dropped and the op computing it only for that result
// is erased.
// CHECK-LABEL: func.func @drop_unused_result
// CHECK: %[[D:.+]] = tdev.dispatch root("elementwise") name("n") -> tensor<4xf32> {
// CHECK-NEXT: %[[R:.+]] = tg.relu %arg0
// CHECK-NEXT: tdev.yield %[[R]] : tensor<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[D]]
func.func @drop_unused_result(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = tdev.dispatch root("elementwise") name("n") -> tensor<4xf32>, tensor<4xf32> {
    %1 = tg.relu %x : tensor<4xf32>
    %2 = tg.exp %x : tensor<4xf32>
    tdev.yield %1, %2 : tensor<4xf32>, tensor<4xf32>
  }
  return %0#0 : tensor<4xf32>
}

// -----

// A dispatch of pure ops whose results are all unused is erased.
// CHECK-LABEL: func.func @erase_dead_dispatch
// CHECK-NOT: tdev.dispatch
func.func @erase_dead_dispatch(%x: tensor<4xf32>) {
  %0 = tdev.dispatch root("elementwise") -> tensor<4xf32> {
    %1 = tg.relu %x : tensor<4xf32>
    tdev.yield %1 : tensor<4xf32>
  }
  return
}
