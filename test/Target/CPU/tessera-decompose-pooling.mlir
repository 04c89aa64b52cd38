// RUN: tessera-opt %s --split-input-file --tessera-decompose-pooling | FileCheck %s

// Max pool 3x3/2 from a -inf fill: nine strided windows of the input,
// combined with maximumf starting from the fill's scalar (which folds away).
// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_stride2
// CHECK-SAME:    %[[IN:[^:]+]]: tensor<1x8x9x9xf32>
// CHECK:         %[[I00:.+]] = tensor.extract_slice %[[IN]][0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 2, 2]
// CHECK:         %[[I01:.+]] = tensor.extract_slice %[[IN]][0, 0, 0, 1] [1, 8, 4, 4] [1, 1, 2, 2]
// CHECK:         %[[I22:.+]] = tensor.extract_slice %[[IN]][0, 0, 2, 2] [1, 8, 4, 4] [1, 1, 2, 2]
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<1x8x4x4xf32>
// CHECK:         %[[R:.+]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-SAME:      ins(%[[I00]], %[[I01]], {{.*}}, %[[I22]] :
// CHECK-SAME:      outs(%[[EMPTY]] : tensor<1x8x4x4xf32>)
// CHECK:         ^bb0(%[[X0:[^:]+]]: f32, %[[X1:[^:]+]]: f32,
// CHECK:           %[[M0:.+]] = arith.maximumf %[[X0]], %[[X1]] : f32
// CHECK-COUNT-7:   arith.maximumf
// CHECK-NEXT:      linalg.yield
// CHECK-NOT:     linalg.pooling_nchw_max
// CHECK:         return %[[R]]
func.func @max_stride2(%in: tensor<1x8x9x9xf32>) -> tensor<1x8x4x4xf32> {
  %lowest = arith.constant 0xFF800000 : f32
  %empty = tensor.empty() : tensor<1x8x4x4xf32>
  %fill = linalg.fill ins(%lowest : f32) outs(%empty : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %window = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max
         {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%in, %window : tensor<1x8x9x9xf32>, tensor<3x3xf32>)
         outs(%fill : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// Sum pool 2x2 with dilation 2 onto an init that is not a fill: the init is
// read as the last input and the taps are added to it.
// CHECK-LABEL: func.func @sum_dilated
// CHECK-SAME:    %[[IN:[^:]+]]: tensor<2x4x6x6xf32>, %[[INIT:[^:]+]]: tensor<2x4x4x4xf32>
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 0, 0] [2, 4, 4, 4] [1, 1, 1, 1]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 0, 2] [2, 4, 4, 4] [1, 1, 1, 1]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 2, 0] [2, 4, 4, 4] [1, 1, 1, 1]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 2, 2] [2, 4, 4, 4] [1, 1, 1, 1]
// CHECK:         linalg.generic
// CHECK-SAME:      ins({{.*}}, %[[INIT]] :
// CHECK:         ^bb0(%[[X0:[^:]+]]: f32, %{{[^:]+}}: f32, %{{[^:]+}}: f32, %{{[^:]+}}: f32, %[[ACC:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK:           arith.addf %[[ACC]], %[[X0]] : f32
// CHECK-COUNT-3:   arith.addf
func.func @sum_dilated(%in: tensor<2x4x6x6xf32>, %init: tensor<2x4x4x4xf32>) -> tensor<2x4x4x4xf32> {
  %window = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_sum
         {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %window : tensor<2x4x6x6xf32>, tensor<2x2xf32>)
         outs(%init : tensor<2x4x4x4xf32>) -> tensor<2x4x4x4xf32>
  return %r : tensor<2x4x4x4xf32>
}

// -----

// Windows of more than 49 taps (here 8x8) and integer pools stay named ops.
// CHECK-LABEL: func.func @not_decomposed
// CHECK:         linalg.pooling_nchw_max
// CHECK:         linalg.pooling_nchw_max
func.func @not_decomposed(%in: tensor<1x2x8x8xf32>, %init: tensor<1x2x1x1xf32>,
                          %ini: tensor<1x2x8x8xi32>, %initi: tensor<1x2x6x6xi32>)
    -> (tensor<1x2x1x1xf32>, tensor<1x2x6x6xi32>) {
  %window = tensor.empty() : tensor<8x8xf32>
  %r = linalg.pooling_nchw_max
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %window : tensor<1x2x8x8xf32>, tensor<8x8xf32>)
         outs(%init : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %windowi = tensor.empty() : tensor<3x3xi32>
  %ri = linalg.pooling_nchw_max
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%ini, %windowi : tensor<1x2x8x8xi32>, tensor<3x3xi32>)
         outs(%initi : tensor<1x2x6x6xi32>) -> tensor<1x2x6x6xi32>
  return %r, %ri : tensor<1x2x1x1xf32>, tensor<1x2x6x6xi32>
}
