// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-inline-dispatches))' | FileCheck %s

// The body replaces the dispatch; its results become the yielded values.
// CHECK-LABEL: func.func @inline
// CHECK-NOT: tdev.
// CHECK: %[[R:.+]] = tg.relu %arg0
// CHECK-NEXT: %[[N:.+]] = tg.neg %[[R]]
// CHECK-NEXT: %[[A:.+]] = tg.add %[[R]], %[[N]]
// CHECK-NEXT: return %[[A]]
func.func @inline(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = tdev.dispatch root("elementwise") -> tensor<4xf32>, tensor<4xf32> {
    %1 = tg.relu %x : tensor<4xf32>
    %2 = tg.neg %1 : tensor<4xf32>
    tdev.yield %1, %2 : tensor<4xf32>, tensor<4xf32>
  }
  %3 = tg.add %0#0, %0#1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %3 : tensor<4xf32>
}

// -----

// Nested dispatches are all inlined.
// CHECK-LABEL: func.func @nested
// CHECK-NOT: tdev.
// CHECK: %[[E:.+]] = tg.exp %arg0
// CHECK-NEXT: return %[[E]]
func.func @nested(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tdev.dispatch root("elementwise") -> tensor<4xf32> {
    %1 = tdev.dispatch root("elementwise") -> tensor<4xf32> {
      %2 = tg.exp %x : tensor<4xf32>
      tdev.yield %2 : tensor<4xf32>
    }
    tdev.yield %1 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
