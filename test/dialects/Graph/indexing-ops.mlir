// RUN: tessera-opt %s --split-input-file | tessera-opt --split-input-file | FileCheck %s

// Element-wise gathers and scatters print and parse back.
// CHECK-LABEL: func.func @elements
// CHECK: tg.gather_elements %{{.+}}, %{{.+}} {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
// CHECK: tg.scatter_elements %{{.+}}, %{{.+}}, %{{.+}} {axis = -1 : i64, reduction = "add"} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
// CHECK: tg.scatter_elements %{{.+}}, %{{.+}}, %{{.+}} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
func.func @elements(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>)
    -> (tensor<3x2xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %0 = tg.gather_elements %d, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  %1 = tg.scatter_elements %d, %i, %u {axis = -1 : i64, reduction = "add"} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  %2 = tg.scatter_elements %d, %i, %u : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<3x2xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// N-dimensional gathers and scatters; a written result may be less static.
// CHECK-LABEL: func.func @nd
// CHECK: tg.gather_nd %{{.+}}, %{{.+}} {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
// CHECK: tg.gather_nd %{{.+}}, %{{.+}} : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<?x4xf32>
// CHECK: tg.scatter_nd %{{.+}}, %{{.+}}, %{{.+}} {reduction = "mul"} : (tensor<2x3x4xf32>, tensor<5x2xi64>, tensor<5x4xf32>) -> tensor<2x3x4xf32>
func.func @nd(%d: tensor<2x3x4xf32>, %b: tensor<2x1xi64>, %i: tensor<5x2xi64>, %u: tensor<5x4xf32>)
    -> (tensor<2x4xf32>, tensor<?x4xf32>, tensor<2x3x4xf32>) {
  %0 = tg.gather_nd %d, %b {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  %1 = tg.gather_nd %d, %i : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<?x4xf32>
  %2 = tg.scatter_nd %d, %i, %u {reduction = "mul"} : (tensor<2x3x4xf32>, tensor<5x2xi64>, tensor<5x4xf32>) -> tensor<2x3x4xf32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<?x4xf32>, tensor<2x3x4xf32>
}

// -----

// Trilu with and without k, OneHot and Range.
// CHECK-LABEL: func.func @generators
// CHECK: tg.trilu %{{.+}}, %{{.+}} {upper = false} : (tensor<2x3x3xi64>, tensor<i64>) -> tensor<2x3x3xi64>
// CHECK: tg.trilu %{{.+}} : (tensor<2x3x3xi64>) -> tensor<2x3x3xi64>
// CHECK: tg.one_hot %{{.+}}, %{{.+}} {axis = 0 : i64, depth = 4 : i64} : (tensor<3xf32>, tensor<2xi32>) -> tensor<4x3xi32>
// CHECK: tg.range %{{.+}}, %{{.+}}, %{{.+}} : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<5xf32>
func.func @generators(%x: tensor<2x3x3xi64>, %k: tensor<i64>, %i: tensor<3xf32>, %v: tensor<2xi32>, %s: tensor<f32>)
    -> (tensor<2x3x3xi64>, tensor<2x3x3xi64>, tensor<4x3xi32>, tensor<5xf32>) {
  %0 = tg.trilu %x, %k {upper = false} : (tensor<2x3x3xi64>, tensor<i64>) -> tensor<2x3x3xi64>
  %1 = tg.trilu %x : (tensor<2x3x3xi64>) -> tensor<2x3x3xi64>
  %2 = tg.one_hot %i, %v {axis = 0 : i64, depth = 4 : i64} : (tensor<3xf32>, tensor<2xi32>) -> tensor<4x3xi32>
  %3 = tg.range %s, %s, %s : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<5xf32>
  return %0, %1, %2, %3 : tensor<2x3x3xi64>, tensor<2x3x3xi64>, tensor<4x3xi32>, tensor<5xf32>
}

// -----

// NLL loss: per element (none) or reduced to a scalar, with a weight and a
// negative ignore_index.
// CHECK-LABEL: func.func @nll
// CHECK: tg.nll_loss %{{.+}}, %{{.+}} {reduction = "none"} : (tensor<3x5x2xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
// CHECK: tg.nll_loss %{{.+}}, %{{.+}}, %{{.+}} {ignore_index = -1 : i64} : (tensor<3x5x2xf32>, tensor<3x2xi64>, tensor<5xf32>) -> tensor<f32>
func.func @nll(%x: tensor<3x5x2xf32>, %t: tensor<3x2xi64>, %w: tensor<5xf32>)
    -> (tensor<3x2xf32>, tensor<f32>) {
  %0 = tg.nll_loss %x, %t {reduction = "none"} : (tensor<3x5x2xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  %1 = tg.nll_loss %x, %t, %w {ignore_index = -1 : i64, reduction = "mean"} : (tensor<3x5x2xf32>, tensor<3x2xi64>, tensor<5xf32>) -> tensor<f32>
  return %0, %1 : tensor<3x2xf32>, tensor<f32>
}
