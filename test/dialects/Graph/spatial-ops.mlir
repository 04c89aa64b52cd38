// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// Transposed convolution with groups, bias, pads and output padding.
// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x7x6xf32> {
  // CHECK: tg.conv_transpose %{{.+}}, %{{.+}}, %{{.+}} {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>}
  // CHECK-SAME: (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x7x6xf32>
  %0 = tg.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x7x6xf32>
  return %0 : tensor<1x6x7x6xf32>
}

// 1-D transposed convolution with dilation, no bias.
// CHECK-LABEL: func.func @conv_transpose_1d
func.func @conv_transpose_1d(%x: tensor<1x1x3xf32>, %w: tensor<1x2x3xf32>) -> tensor<1x2x7xf32> {
  // CHECK: tg.conv_transpose %{{.+}}, %{{.+}} {dilations = array<i64: 2>
  %0 = tg.conv_transpose %x, %w {dilations = array<i64: 2>, output_padding = array<i64: 0>, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<1x1x3xf32>, tensor<1x2x3xf32>) -> tensor<1x2x7xf32>
  return %0 : tensor<1x2x7xf32>
}

// Resize by run-time scales, by the result shape, and with a roi.
// CHECK-LABEL: func.func @resize
func.func @resize(%x: tensor<1x1x2x4xf32>, %s: tensor<4xf32>, %roi: tensor<8xf32>) -> (tensor<1x1x4x8xf32>, tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) {
  // CHECK: tg.resize %{{.+}} scales %{{.+}} {mode = "linear"} : (tensor<1x1x2x4xf32>, tensor<4xf32>) -> tensor<1x1x4x8xf32>
  %0 = tg.resize %x scales %s {mode = "linear"} : (tensor<1x1x2x4xf32>, tensor<4xf32>) -> tensor<1x1x4x8xf32>
  // CHECK: tg.resize %{{.+}} {coordinate_transformation_mode = "align_corners", cubic_coeff_a = -5.000000e-01 : f64, exclude_outside = true, mode = "cubic"} : (tensor<1x1x2x4xf32>) -> tensor<1x1x3x3xf32>
  %1 = tg.resize %x {coordinate_transformation_mode = "align_corners", cubic_coeff_a = -0.5 : f64, exclude_outside = true, mode = "cubic"} : (tensor<1x1x2x4xf32>) -> tensor<1x1x3x3xf32>
  // CHECK: tg.resize %{{.+}} roi %{{.+}} {coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 1.000000e+01 : f64} : (tensor<1x1x2x4xf32>, tensor<8xf32>) -> tensor<1x1x3x3xf32>
  %2 = tg.resize %x roi %roi {coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 10.0 : f64} : (tensor<1x1x2x4xf32>, tensor<8xf32>) -> tensor<1x1x3x3xf32>
  return %0, %1, %2 : tensor<1x1x4x8xf32>, tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>
}

// Nearest resizing works on integers.
// CHECK-LABEL: func.func @resize_int
func.func @resize_int(%x: tensor<2x2xi32>) -> tensor<4x4xi32> {
  // CHECK: tg.resize %{{.+}} {nearest_mode = "floor"} : (tensor<2x2xi32>) -> tensor<4x4xi32>
  %0 = tg.resize %x {nearest_mode = "floor"} : (tensor<2x2xi32>) -> tensor<4x4xi32>
  return %0 : tensor<4x4xi32>
}

// Einsum: a batched matmul and a batched diagonal.
// CHECK-LABEL: func.func @einsum
func.func @einsum(%a: tensor<5x2x3xf32>, %b: tensor<5x3x4xf32>, %c: tensor<3x5x5xf32>) -> (tensor<5x2x4xf32>, tensor<3x5xf32>) {
  // CHECK: tg.einsum %{{.+}}, %{{.+}} {equation = "bij,bjk->bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  %0 = tg.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  // CHECK: tg.einsum %{{.+}} {equation = "Aii->Ai"} : (tensor<3x5x5xf32>) -> tensor<3x5xf32>
  %1 = tg.einsum %c {equation = "Aii->Ai"} : (tensor<3x5x5xf32>) -> tensor<3x5xf32>
  return %0, %1 : tensor<5x2x4xf32>, tensor<3x5xf32>
}
