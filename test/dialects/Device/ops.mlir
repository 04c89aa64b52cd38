// RUN: tessera-opt %s --split-input-file | FileCheck %s
// RUN: tessera-opt %s --split-input-file --mlir-print-op-generic | tessera-opt --split-input-file | FileCheck %s

// A dispatch with a root name, a node name and one result captures values
// of the enclosing function.
// CHECK-LABEL: func.func @conv_relu
// CHECK: %[[D:.+]] = tdev.dispatch root("tg.conv") name("conv1") -> tensor<1x4x6x6xf32> {
// CHECK:   %[[C:.+]] = tg.conv %arg0, %arg1
// CHECK:   %[[R:.+]] = tg.relu %[[C]]
// CHECK:   tdev.yield %[[R]] : tensor<1x4x6x6xf32>
// CHECK: }
// CHECK: return %[[D]]
func.func @conv_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = tdev.dispatch root("tg.conv") name("conv1") -> tensor<1x4x6x6xf32> {
    %1 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
        : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
    %2 = tg.relu %1 : tensor<1x4x6x6xf32>
    tdev.yield %2 : tensor<1x4x6x6xf32>
  }
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Several results, no node name, extra attributes after the keyword.
// CHECK-LABEL: func.func @two_results
// CHECK: %[[D:.+]]:2 = tdev.dispatch root("elementwise") attributes {tag = 1 : i64} -> tensor<4xf32>, tensor<4xf32> {
// CHECK:   tdev.yield %{{.+}}, %{{.+}} : tensor<4xf32>, tensor<4xf32>
func.func @two_results(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = tdev.dispatch root("elementwise") attributes {tag = 1} -> tensor<4xf32>, tensor<4xf32> {
    %1 = tg.relu %x : tensor<4xf32>
    %2 = tg.neg %1 : tensor<4xf32>
    tdev.yield %1, %2 : tensor<4xf32>, tensor<4xf32>
  }
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A dispatch without results.
// CHECK-LABEL: func.func @no_results
// CHECK: tdev.dispatch root("tg.reduce_sum") {
// CHECK-NEXT: tdev.yield
// CHECK-NEXT: }
func.func @no_results() {
  tdev.dispatch root("tg.reduce_sum") {
    tdev.yield
  }
  return
}
