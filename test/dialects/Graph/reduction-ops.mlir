// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// Reductions over a set of axes, with and without keepdims.
// CHECK-LABEL: func.func @reduce
func.func @reduce(%x: tensor<2x3x4xf32>) -> (tensor<2x1x4xf32>, tensor<2xf32>, tensor<1x1x1xf32>, tensor<3xf32>, tensor<2x3x4xf32>) {
  // CHECK: tg.reduce_sum %{{.+}} {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %0 = tg.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  // CHECK: tg.reduce_mean %{{.+}} {axes = array<i64: 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2xf32>
  %1 = tg.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2xf32>
  // CHECK: tg.reduce_max %{{.+}} {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %2 = tg.reduce_max %x {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  // CHECK: tg.reduce_min %{{.+}} {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %3 = tg.reduce_min %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  // An empty axis list reduces nothing.
  // CHECK: tg.reduce_prod %{{.+}} {axes = array<i64>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %4 = tg.reduce_prod %x {axes = array<i64>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0, %1, %2, %3, %4 : tensor<2x1x4xf32>, tensor<2xf32>, tensor<1x1x1xf32>, tensor<3xf32>, tensor<2x3x4xf32>
}

// Axes given at run time ride along as an operand.
// CHECK-LABEL: func.func @reduce_runtime_axes
// CHECK-SAME: (%[[X:.+]]: tensor<3x2x2xi64>, %[[A:.+]]: tensor<1xi64>)
func.func @reduce_runtime_axes(%x: tensor<3x2x2xi64>, %axes: tensor<1xi64>) -> tensor<3x2xi64> {
  // CHECK: tg.reduce_sum %[[X]] runtime_axes %[[A]] : tensor<1xi64> {axes = array<i64: 2>, keepdims = false} : (tensor<3x2x2xi64>) -> tensor<3x2xi64>
  %0 = tg.reduce_sum %x runtime_axes %axes : tensor<1xi64> {axes = array<i64: 2>, keepdims = false} : (tensor<3x2x2xi64>) -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// Arg-reductions give i64 indices.
// CHECK-LABEL: func.func @arg_reduce
func.func @arg_reduce(%x: tensor<2x3xf32>) -> (tensor<2xi64>, tensor<1x3xi64>) {
  // CHECK: tg.arg_max %{{.+}} {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
  %0 = tg.arg_max %x {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
  // CHECK: tg.arg_min %{{.+}} {axis = 0 : i64, select_last_index = true} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  %1 = tg.arg_min %x {axis = 0 : i64, select_last_index = true} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  return %0, %1 : tensor<2xi64>, tensor<1x3xi64>
}

// CHECK-LABEL: func.func @hardmax
func.func @hardmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: tg.hardmax %{{.+}} {axis = 1 : i64} : tensor<2x3xf32>
  %0 = tg.hardmax %x {axis = 1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// TopK has two results: values and i64 indices.
// CHECK-LABEL: func.func @top_k
func.func @top_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>, tensor<1x4xf32>) {
  // CHECK: tg.top_k %{{.+}} {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  %v, %i = tg.top_k %x {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  // CHECK: tg.top_k %{{.+}} runtime_k %{{.+}} : tensor<1xi64> {axis = 0 : i64, k = 1 : i64, largest = false} : (tensor<3x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xi64>)
  %v2, %i2 = tg.top_k %x runtime_k %k : tensor<1xi64> {axis = 0 : i64, k = 1 : i64, largest = false} : (tensor<3x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xi64>)
  return %v, %i, %v2 : tensor<3x2xf32>, tensor<3x2xi64>, tensor<1x4xf32>
}

// CumSum with a known axis or one chosen at run time.
// CHECK-LABEL: func.func @cumsum
func.func @cumsum(%x: tensor<2x3xf64>, %a: tensor<i32>) -> (tensor<2x3xf64>, tensor<2x3xf64>) {
  // CHECK: tg.cumsum %{{.+}} {axis = 1 : i64, exclusive = true} : tensor<2x3xf64>
  %0 = tg.cumsum %x {axis = 1 : i64, exclusive = true} : tensor<2x3xf64>
  // CHECK: tg.cumsum %{{.+}} runtime_axis %{{.+}} : tensor<i32> {reverse = true} : tensor<2x3xf64>
  %1 = tg.cumsum %x runtime_axis %a : tensor<i32> {reverse = true} : tensor<2x3xf64>
  return %0, %1 : tensor<2x3xf64>, tensor<2x3xf64>
}
