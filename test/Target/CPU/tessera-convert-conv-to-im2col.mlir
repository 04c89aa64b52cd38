// RUN: tessera-opt %s --split-input-file --tessera-convert-conv-to-im2col | FileCheck %s

// A 3x3 NCHW convolution becomes an im2col copy into (C*KH*KW) x (OH*OW)
// and a contraction with the collapsed F x (C*KH*KW) filter. The copy
// iterates over (n, c, kh, kw, oh, ow), so that its innermost loop copies
// a row segment of the input, and the contraction reads its collapsed view.
// CHECK-DAG:   #[[$IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4, d3 + d5)>
// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @conv
// CHECK-SAME:    (%[[X:.+]]: tensor<1x4x6x6xf32>, %[[W:.+]]: tensor<8x4x3x3xf32>, %[[INIT:.+]]: tensor<1x8x4x4xf32>)
// CHECK:         %[[COL6:.+]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$ID]]]
// CHECK-SAME:      ins(%[[X]] : tensor<1x4x6x6xf32>) outs(%{{.+}} : tensor<1x4x3x3x4x4xf32>)
// CHECK:         %[[COL:.+]] = tensor.collapse_shape %[[COL6]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x4x3x3x4x4xf32> into tensor<1x36x16xf32>
// CHECK-DAG:     %[[WM:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<8x4x3x3xf32> into tensor<8x36xf32>
// CHECK-DAG:     %[[OUT:.+]] = tensor.collapse_shape %[[INIT]] {{\[}}[0], [1], [2, 3]] : tensor<1x8x4x4xf32> into tensor<1x8x16xf32>
// CHECK:         %[[MM:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[WM]], %[[COL]] : tensor<8x36xf32>, tensor<1x36x16xf32>) outs(%[[OUT]] : tensor<1x8x16xf32>)
// CHECK:         tensor.expand_shape %[[MM]] {{\[}}[0], [1], [2, 3]] output_shape [1, 8, 4, 4]
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
func.func @conv(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x3x3xf32>,
                %init: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>)
      outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// Other convolutions are left alone.
// CHECK-LABEL: func.func @depthwise
// CHECK:         linalg.depthwise_conv_2d_nchw_chw
func.func @depthwise(%x: tensor<1x4x6x6xf32>, %w: tensor<4x3x3xf32>,
                     %init: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x6x6xf32>, tensor<4x3x3xf32>)
      outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}

// -----

// A 1x1 unit-stride convolution is a contraction on collapsed views: no
// im2col copy.
// CHECK-LABEL: func.func @pointwise
// CHECK-SAME:    (%[[X:.+]]: tensor<1x4x6x6xf32>, %[[W:.+]]: tensor<8x4x1x1xf32>, %[[INIT:.+]]: tensor<1x8x6x6xf32>)
// CHECK-DAG:     %[[XM:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1], [2, 3]] : tensor<1x4x6x6xf32> into tensor<1x4x36xf32>
// CHECK-DAG:     %[[WM:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<8x4x1x1xf32> into tensor<8x4xf32>
// CHECK-DAG:     %[[OUT:.+]] = tensor.collapse_shape %[[INIT]] {{\[}}[0], [1], [2, 3]] : tensor<1x8x6x6xf32> into tensor<1x8x36xf32>
// CHECK:         %[[MM:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[WM]], %[[XM]] : tensor<8x4xf32>, tensor<1x4x36xf32>) outs(%[[OUT]] : tensor<1x8x36xf32>)
// CHECK:         tensor.expand_shape %[[MM]] {{\[}}[0], [1], [2, 3]] output_shape [1, 8, 6, 6]
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
func.func @pointwise(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x1x1xf32>,
                     %init: tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>)
      outs(%init : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %r : tensor<1x8x6x6xf32>
}

// -----

// A strided 1x1 convolution still needs the (strided) im2col copy; the
// strides scale oh and ow in its input map.
// CHECK:       #[[$STRIDED:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-LABEL: func.func @pointwise_strided
// CHECK:         linalg.generic {indexing_maps = [#[[$STRIDED]], {{.*}} ins(%{{.+}} : tensor<1x4x6x6xf32>) outs(%{{.+}} : tensor<1x4x1x1x3x3xf32>)
// CHECK:         tensor.collapse_shape {{.*}} into tensor<1x4x9xf32>
func.func @pointwise_strided(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x1x1xf32>,
                             %init: tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x6x6xf32>, tensor<8x4x1x1xf32>)
      outs(%init : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %r : tensor<1x8x3x3xf32>
}
