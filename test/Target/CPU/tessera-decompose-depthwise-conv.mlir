// RUN: tessera-opt %s --split-input-file --tessera-decompose-depthwise-conv | FileCheck %s

// Stride 1: one unit-stride window of the input and one filter column per
// tap, summed onto the init (a bias broadcast), which becomes an input so
// that elementwise fusion can fold the broadcast in.
// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @stride1
// CHECK-SAME:    %[[IN:.+]]: tensor<1x8x10x10xf32>, %[[W:.+]]: tensor<8x3x3xf32>, %[[INIT:.+]]: tensor<1x8x8x8xf32>
// CHECK:         %[[I00:.+]] = tensor.extract_slice %[[IN]][0, 0, 0, 0] [1, 8, 8, 8] [1, 1, 1, 1]
// CHECK:         %[[W00:.+]] = tensor.extract_slice %[[W]][0, 0, 0] [8, 1, 1] [1, 1, 1] : tensor<8x3x3xf32> to tensor<8xf32>
// CHECK:         %[[I01:.+]] = tensor.extract_slice %[[IN]][0, 0, 0, 1] [1, 8, 8, 8] [1, 1, 1, 1]
// CHECK:         %[[W01:.+]] = tensor.extract_slice %[[W]][0, 0, 1] [8, 1, 1] [1, 1, 1]
// CHECK:         %[[I22:.+]] = tensor.extract_slice %[[IN]][0, 0, 2, 2] [1, 8, 8, 8] [1, 1, 1, 1]
// CHECK:         %[[W22:.+]] = tensor.extract_slice %[[W]][0, 2, 2] [8, 1, 1] [1, 1, 1]
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<1x8x8x8xf32>
// CHECK:         %[[R:.+]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK-SAME:      ins(%[[I00]], %[[I01]], {{.*}}, %[[I22]], %[[W00]], %[[W01]], {{.*}}, %[[W22]], %[[INIT]] :
// CHECK-SAME:      outs(%[[EMPTY]] : tensor<1x8x8x8xf32>)
// CHECK:         ^bb0(%[[X0:[^:]+]]: f32, {{(%[^:]+: f32, ){8}%}}[[K0:[^:]+]]: f32, {{(%[^:]+: f32, ){8}%}}[[ACC:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK:           %[[P0:.+]] = arith.mulf %[[X0]], %[[K0]] fastmath<contract> : f32
// CHECK:           %[[S0:.+]] = arith.addf %[[ACC]], %[[P0]] fastmath<contract> : f32
// CHECK-COUNT-8:   arith.mulf
// CHECK:           %[[S8:.+]] = arith.addf
// CHECK-NEXT:      linalg.yield %[[S8]] : f32
// CHECK:         return %[[R]]
func.func @stride1(%in: tensor<1x8x10x10xf32>, %w: tensor<8x3x3xf32>,
                   %init: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x8x10x10xf32>, tensor<8x3x3xf32>)
         outs(%init : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r : tensor<1x8x8x8xf32>
}

// -----

// Stride 2: the windows step by 2 along both spatial dimensions.
// CHECK-LABEL: func.func @stride2
// CHECK-SAME:    %[[IN:[^:]+]]: tensor<2x8x9x9xf32>
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 0, 0] [2, 8, 4, 4] [1, 1, 2, 2]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 0, 1] [2, 8, 4, 4] [1, 1, 2, 2]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 2, 2] [2, 8, 4, 4] [1, 1, 2, 2]
// CHECK:         linalg.generic
// CHECK-NOT:     linalg.depthwise_conv_2d_nchw_chw
func.func @stride2(%in: tensor<2x8x9x9xf32>, %w: tensor<8x3x3xf32>,
                   %init: tensor<2x8x4x4xf32>) -> tensor<2x8x4x4xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw
         {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%in, %w : tensor<2x8x9x9xf32>, tensor<8x3x3xf32>)
         outs(%init : tensor<2x8x4x4xf32>) -> tensor<2x8x4x4xf32>
  return %r : tensor<2x8x4x4xf32>
}

// -----

// Dilation 2 (and different strides per dimension): tap (kh, kw) starts at
// (2 * kh, 2 * kw).
// CHECK-LABEL: func.func @dilation
// CHECK-SAME:    %[[IN:[^:]+]]: tensor<1x4x12x12xf32>
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 0, 0] [1, 4, 8, 4] [1, 1, 1, 2]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 0, 2] [1, 4, 8, 4] [1, 1, 1, 2]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 2, 0] [1, 4, 8, 4] [1, 1, 1, 2]
// CHECK:         tensor.extract_slice %[[IN]][0, 0, 2, 2] [1, 4, 8, 4] [1, 1, 1, 2]
// CHECK:         linalg.generic
func.func @dilation(%in: tensor<1x4x12x12xf32>, %w: tensor<4x2x2xf32>,
                    %init: tensor<1x4x8x4xf32>) -> tensor<1x4x8x4xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw
         {dilations = dense<2> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>}
         ins(%in, %w : tensor<1x4x12x12xf32>, tensor<4x2x2xf32>)
         outs(%init : tensor<1x4x8x4xf32>) -> tensor<1x4x8x4xf32>
  return %r : tensor<1x4x8x4xf32>
}

// -----

// A zero-filled init (no bias) is not read: the sum starts from the scalar.
// CHECK-LABEL: func.func @fill_init
// CHECK-SAME:    %[[ZERO:[^:]+]]: f32
// CHECK:         linalg.generic
// CHECK-SAME:      ins({{[^)]*}} : tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK:           %[[P:.+]] = arith.mulf
// CHECK-NEXT:      arith.addf %[[ZERO]], %[[P]] fastmath<contract> : f32
func.func @fill_init(%in: tensor<1x4x3x3xf32>, %w: tensor<4x2x2xf32>,
                     %zero: f32) -> tensor<1x4x2x2xf32> {
  %e = tensor.empty() : tensor<1x4x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x4x3x3xf32>, tensor<4x2x2xf32>)
         outs(%init : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %r : tensor<1x4x2x2xf32>
}

// -----

// Dynamic shapes are left alone.
// CHECK-LABEL: func.func @dynamic
// CHECK:         linalg.depthwise_conv_2d_nchw_chw
func.func @dynamic(%in: tensor<?x4x3x3xf32>, %w: tensor<4x2x2xf32>,
                   %init: tensor<?x4x2x2xf32>) -> tensor<?x4x2x2xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<?x4x3x3xf32>, tensor<4x2x2xf32>)
         outs(%init : tensor<?x4x2x2xf32>) -> tensor<?x4x2x2xf32>
  return %r : tensor<?x4x2x2xf32>
}
