// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// Pads become a zero tensor.pad, the bias initializes the accumulator, and
// strides/dilations carry over to the named 2-D convolution.
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_pads_stride_bias
// CHECK-SAME:    (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[ZERO]] : f32
// CHECK:         } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
// CHECK:         %[[INIT:.+]] = linalg.generic {indexing_maps = [#[[BIAS]], #[[ID]]]
// CHECK-SAME:      ins(%[[B]] : tensor<4xf32>)
// CHECK:         %[[CONV:.+]] = linalg.conv_2d_nchw_fchw
// CHECK-SAME:      dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>
// CHECK-SAME:      ins(%[[PAD]], %[[W]] : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>)
// CHECK-SAME:      outs(%[[INIT]] : tensor<1x4x4x4xf32>)
// CHECK:         return %[[CONV]]
func.func @conv_pads_stride_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = tg.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Without a bias the accumulator is zero-filled; asymmetric pads and
// dilations are kept.
// CHECK-LABEL: func.func @conv_dilated_no_bias
// CHECK:         tensor.pad %{{.+}} low[0, 0, 1, 0] high[0, 0, 2, 1]
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK-SAME:      dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>
// CHECK-SAME:      outs(%[[FILL]] : tensor<1x3x6x7xf32>)
func.func @conv_dilated_no_bias(%x: tensor<1x2x7x7xf32>, %w: tensor<3x2x3x2xf32>) -> tensor<1x3x6x7xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 2, 1>, group = 1 : i64, pads = array<i64: 1, 0, 2, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x7x7xf32>, tensor<3x2x3x2xf32>) -> tensor<1x3x6x7xf32>
  return %0 : tensor<1x3x6x7xf32>
}

// -----

// group == C == M: a depthwise convolution on the M x KH x KW filter.
// CHECK-LABEL: func.func @conv_depthwise
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8x6x6xf32>, %[[W:.+]]: tensor<8x1x3x3xf32>)
// CHECK:         %[[FILTER:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1], [2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK:         linalg.depthwise_conv_2d_nchw_chw
// CHECK-SAME:      ins(%[[X]], %[[FILTER]] : tensor<1x8x6x6xf32>, tensor<8x3x3xf32>)
func.func @conv_depthwise(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Other groups: input, weight and accumulator are split into groups for
// conv_2d_ngchw_gfchw, and the result is merged back.
// CHECK-LABEL: func.func @conv_grouped
// CHECK-SAME:    (%[[X:.+]]: tensor<1x4x5x5xf32>, %[[W:.+]]: tensor<6x2x3x3xf32>)
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[GX:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5]
// CHECK:         %[[GW:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK:         %[[GI:.+]] = tensor.expand_shape %[[FILL]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 3, 3, 3]
// CHECK:         %[[CONV:.+]] = linalg.conv_2d_ngchw_gfchw
// CHECK-SAME:      ins(%[[GX]], %[[GW]] : tensor<1x2x2x5x5xf32>, tensor<2x3x2x3x3xf32>) outs(%[[GI]] : tensor<1x2x3x3x3xf32>)
// CHECK:         %[[RES:.+]] = tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
// CHECK:         return %[[RES]]
func.func @conv_grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// 1-D convolution with group 1 uses the named NCW op.
// CHECK-LABEL: func.func @conv_1d
// CHECK:         tensor.pad %{{.+}} low[0, 0, 1] high[0, 0, 2]
// CHECK:         linalg.conv_1d_ncw_fcw
// CHECK-SAME:      dilations = dense<2> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>
func.func @conv_1d(%x: tensor<1x3x9xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x4xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 2>, group = 1 : i64, pads = array<i64: 1, 2>, strides = array<i64: 2>} : (tensor<1x3x9xf32>, tensor<4x3x3xf32>) -> tensor<1x4x4xf32>
  return %0 : tensor<1x4x4xf32>
}

// -----

// A grouped 1-D convolution has no named op: a generic on grouped shapes.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + d5)>
// CHECK-DAG: #[[FLT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_1d_grouped
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[FLT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3]] : tensor<1x2x2x6xf32> into tensor<1x4x6xf32>
func.func @conv_1d_grouped(%x: tensor<1x4x8xf32>, %w: tensor<4x2x3xf32>) -> tensor<1x4x6xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 1>, group = 2 : i64, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<1x4x8xf32>, tensor<4x2x3xf32>) -> tensor<1x4x6xf32>
  return %0 : tensor<1x4x6xf32>
}

// -----

// 3-D convolution with group 1 uses the named NCDHW op.
// CHECK-LABEL: func.func @conv_3d
// CHECK:         linalg.conv_3d_ncdhw_fcdhw
// CHECK-SAME:      ins(%{{.+}}, %{{.+}} : tensor<1x2x4x4x4xf32>, tensor<3x2x2x2x2xf32>)
func.func @conv_3d(%x: tensor<1x2x4x4x4xf32>, %w: tensor<3x2x2x2x2xf32>) -> tensor<1x3x3x3x3xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0, 0, 0>, strides = array<i64: 1, 1, 1>} : (tensor<1x2x4x4x4xf32>, tensor<3x2x2x2x2xf32>) -> tensor<1x3x3x3x3xf32>
  return %0 : tensor<1x3x3x3x3xf32>
}
