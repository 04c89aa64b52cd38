// RUN: tessera-opt %s --split-input-file --tessera-prepare-epilogue-fusion | FileCheck %s

#bias = affine_map<(d0, d1, d2) -> (d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#bias4 = affine_map<(d0, d1, d2, d3) -> (d1)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// The im2col form of conv + bias + ReLU: the bias broadcast and the ReLU
// move onto the contraction's 1x8x16 shape, and the ReLU updates the
// contraction's result in place (it becomes the ReLU's init).
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<1x8x16xf32>
// CHECK:         %[[BIAS:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<8xf32>) outs(%[[EMPTY]] : tensor<1x8x16xf32>)
// CHECK:         %[[MM:.+]] = linalg.generic {{.*}} outs(%[[BIAS]] : tensor<1x8x16xf32>)
// CHECK:         %[[RELU:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]} outs(%[[MM]] : tensor<1x8x16xf32>)
// CHECK-NEXT:    ^bb0(%[[OUT:.+]]: f32):
// CHECK-NEXT:      arith.maximumf %[[OUT]]
// CHECK:         tensor.expand_shape %[[RELU]] {{\[}}[0], [1], [2, 3]] output_shape [1, 8, 4, 4]
func.func @conv_bias_relu(%w: tensor<8x36xf32>, %col: tensor<1x36x16xf32>,
                          %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %bias = linalg.generic {indexing_maps = [#bias4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<8xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x4x4xf32>
  %init = tensor.collapse_shape %bias [[0], [1], [2, 3]] : tensor<1x8x4x4xf32> into tensor<1x8x16xf32>
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<8x36xf32>, tensor<1x36x16xf32>) outs(%init : tensor<1x8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8x16xf32>
  %x = tensor.expand_shape %mm [[0], [1], [2, 3]] output_shape [1, 8, 4, 4] : tensor<1x8x16xf32> into tensor<1x8x4x4xf32>
  %relu = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x4x4xf32>
  return %relu : tensor<1x8x4x4xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// A residual add keeps its other operand as an input and updates the
// contraction's result in place.
// CHECK-LABEL: func.func @residual_add
// CHECK:         %[[MM:.+]] = linalg.generic
// CHECK:         linalg.generic {{.*}} ins(%{{.+}} : tensor<1x8x16xf32>) outs(%[[MM]] : tensor<1x8x16xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.+]]: f32, %[[OUT:.+]]: f32):
// CHECK-NEXT:      arith.addf %[[OUT]], %[[IN]]
func.func @residual_add(%w: tensor<8x36xf32>, %col: tensor<1x36x16xf32>,
                        %init: tensor<1x8x16xf32>, %skip: tensor<1x8x16xf32>) -> tensor<1x8x16xf32> {
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<8x36xf32>, tensor<1x36x16xf32>) outs(%init : tensor<1x8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8x16xf32>
  %e = tensor.empty() : tensor<1x8x16xf32>
  %add = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%mm, %skip : tensor<1x8x16xf32>, tensor<1x8x16xf32>) outs(%e : tensor<1x8x16xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %r = arith.addf %in, %in2 : f32
    linalg.yield %r : f32
  } -> tensor<1x8x16xf32>
  return %add : tensor<1x8x16xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// A contraction result with a second use cannot be updated in place.
// CHECK-LABEL: func.func @two_uses
// CHECK:         %[[MM:.+]] = linalg.generic
// CHECK:         linalg.generic {{.*}} ins(%[[MM]] : tensor<1x8x16xf32>) outs(%{{.+}} : tensor<1x8x16xf32>)
func.func @two_uses(%w: tensor<8x36xf32>, %col: tensor<1x36x16xf32>,
                    %init: tensor<1x8x16xf32>) -> (tensor<1x8x16xf32>, tensor<1x8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<8x36xf32>, tensor<1x36x16xf32>) outs(%init : tensor<1x8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8x16xf32>
  %e = tensor.empty() : tensor<1x8x16xf32>
  %relu = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%mm : tensor<1x8x16xf32>) outs(%e : tensor<1x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x16xf32>
  return %relu, %mm : tensor<1x8x16xf32>, tensor<1x8x16xf32>
}
