// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// ceil_mode: the input is padded with -inf at the end so the last (partial)
// window of the inferred result fits; the accumulator starts at -inf.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK:         %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 0]
// CHECK:           tensor.yield %[[NEG_INF]] : f32
// CHECK:         } : tensor<1x2x6x7xf32> to tensor<1x2x7x7xf32>
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK:         %[[WINDOW:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK:         linalg.pooling_nchw_max
// CHECK-SAME:      strides = dense<2> : tensor<2xi64>
// CHECK-SAME:      ins(%[[PAD]], %[[WINDOW]] : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x3x3xf32>)
func.func @max_pool_ceil(%x: tensor<1x2x6x7xf32>) -> tensor<1x2x3x3xf32> {
  %0 = tg.max_pool %x {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x6x7xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Dilations carry over to the named op.
// CHECK-LABEL: func.func @max_pool_dilated
// CHECK:         linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
func.func @max_pool_dilated(%x: tensor<1x1x7x7xf32>) -> tensor<1x1x5x5xf32> {
  %0 = tg.max_pool %x {ceil_mode = false, dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x7x7xf32>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

// 1-D max pooling uses the named NCW op.
// CHECK-LABEL: func.func @max_pool_1d
// CHECK:         linalg.pooling_ncw_max
func.func @max_pool_1d(%x: tensor<1x2x9xf32>) -> tensor<1x2x4xf32> {
  %0 = tg.max_pool %x {ceil_mode = false, dilations = array<i64: 1>, kernel_shape = array<i64: 3>, pads = array<i64: 0, 0>, strides = array<i64: 2>} : (tensor<1x2x9xf32>) -> tensor<1x2x4xf32>
  return %0 : tensor<1x2x4xf32>
}

// -----

// 3-D max pooling: a window-reduction generic; the window tensor carries the
// kernel sizes.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d6, d7)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @max_pool_3d
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK:           arith.maximumf
func.func @max_pool_3d(%x: tensor<1x1x4x4x4xf32>) -> tensor<1x1x2x2x2xf32> {
  %0 = tg.max_pool %x {ceil_mode = false, dilations = array<i64: 1, 1, 1>, kernel_shape = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 0, 0, 0>, strides = array<i64: 2, 2, 2>} : (tensor<1x1x4x4x4xf32>) -> tensor<1x1x2x2x2xf32>
  return %0 : tensor<1x1x2x2x2xf32>
}

// -----

// count_include_pad = true: every window counts the full kernel, so the sum
// is divided by a scalar 9.
// CHECK-LABEL: func.func @avg_pool_include_pad
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[ZERO]] : f32
// CHECK:         %[[SUM:.+]] = linalg.pooling_nchw_sum
// CHECK-SAME:      ins(%[[PAD]], %{{.+}} : tensor<1x2x8x8xf32>, tensor<3x3xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<1x2x3x3xf32>)
// CHECK:           %[[NINE:.+]] = arith.constant 9.000000e+00 : f32
// CHECK:           arith.divf %{{.+}}, %[[NINE]] : f32
func.func @avg_pool_include_pad(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = tg.average_pool %x {count_include_pad = true, ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// count_include_pad = false: windows that overlap the padding count fewer
// elements; the divisors are a constant tensor over the output positions.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[SPATIAL:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @avg_pool_exclude_pad
// CHECK:         %[[SUM:.+]] = linalg.pooling_nchw_sum
// CHECK:         %[[DIV:.+]] = arith.constant dense<{{\[}}[4.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[SPATIAL]], #[[ID]]]
// CHECK-SAME:      ins(%[[SUM]], %[[DIV]] : tensor<1x2x2x2xf32>, tensor<2x2xf32>)
// CHECK:           arith.divf
func.func @avg_pool_exclude_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0 = tg.average_pool %x {count_include_pad = false, ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// ceil_mode with count_include_pad: the overhang past the explicit end pad
// is zero-padded for the sum but not counted (last column divides by 6).
// CHECK-LABEL: func.func @avg_pool_ceil_include_pad
// CHECK:         tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 2]
// CHECK:         arith.constant dense<{{\[}}[9.000000e+00, 9.000000e+00, 6.000000e+00]]> : tensor<1x3xf32>
func.func @avg_pool_ceil_include_pad(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x3xf32> {
  %0 = tg.average_pool %x {count_include_pad = true, ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x1x4xf32>) -> tensor<1x1x1x3xf32>
  return %0 : tensor<1x1x1x3xf32>
}

// -----

// Global average pooling: a sum over the spatial dimensions into N x C, a
// division by their size, and an expand to N x C x 1 x 1.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NC:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_average_pool
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.addf
// CHECK:         %[[MEAN:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<1x3xf32>)
// CHECK:           arith.constant 2.000000e+01 : f32
// CHECK:           arith.divf
// CHECK:         tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2, 3]] output_shape [1, 3, 1, 1]
func.func @global_average_pool(%x: tensor<1x3x4x5xf32>) -> tensor<1x3x1x1xf32> {
  %0 = tg.global_average_pool %x : (tensor<1x3x4x5xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}
