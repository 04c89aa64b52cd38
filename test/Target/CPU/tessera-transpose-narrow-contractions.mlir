// RUN: tessera-opt %s --split-input-file --tessera-transpose-narrow-contractions | FileCheck %s

#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// 7x7 = 49 output pixels are not a multiple of 16 but the 32 channels are:
// the product is computed as outT[n, p, f] with the transposed weight, and
// the in-place ReLU becomes an epilogue that adds the bias init, applies
// the ReLU and writes the [n, f, p] layout in place of the init.
// CHECK-LABEL: func.func @conv_relu
// CHECK-SAME:    (%[[W:.+]]: tensor<32x72xf32>, %[[COL:.+]]: tensor<1x72x49xf32>, %[[BIAS:.+]]: tensor<1x32x49xf32>)
// CHECK:         %[[WT:.+]] = linalg.transpose ins(%[[W]] : tensor<32x72xf32>) outs(%{{.+}} : tensor<72x32xf32>) permutation = [1, 0]
// CHECK:         %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x49x32xf32>)
// CHECK:         %[[PROD:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[COL]], %[[WT]] : tensor<1x72x49xf32>, tensor<72x32xf32>) outs(%[[ZERO]] : tensor<1x49x32xf32>)
// CHECK:         %[[OUT:.+]] = linalg.generic {indexing_maps = [#[[$T:.+]], #[[$ID:.+]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[PROD]] : tensor<1x49x32xf32>) outs(%[[BIAS]] : tensor<1x32x49xf32>)
// CHECK:         ^bb0(%[[P:.+]]: f32, %[[B:.+]]: f32):
// CHECK:           %[[SUM:.+]] = arith.addf %[[P]], %[[B]]
// CHECK:           %[[RELU:.+]] = arith.maximumf %[[SUM]]
// CHECK:           linalg.yield %[[RELU]]
// CHECK:         return %[[OUT]]
func.func @conv_relu(%w: tensor<32x72xf32>, %col: tensor<1x72x49xf32>,
                     %bias: tensor<1x32x49xf32>) -> tensor<1x32x49xf32> {
  %zero = arith.constant 0.0 : f32
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<32x72xf32>, tensor<1x72x49xf32>) outs(%bias : tensor<1x32x49xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x32x49xf32>
  %relu = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel"]}
      outs(%mm : tensor<1x32x49xf32>) {
  ^bb0(%out: f32):
    %r = arith.maximumf %out, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x32x49xf32>
  return %relu : tensor<1x32x49xf32>
}

// -----

#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// 64 output pixels already fill whole vectors: left alone.
// CHECK-LABEL: func.func @wide
// CHECK-NOT:     linalg.transpose
// CHECK:         linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<32x72xf32>, tensor<1x72x64xf32>)
func.func @wide(%w: tensor<32x72xf32>, %col: tensor<1x72x64xf32>,
                %init: tensor<1x32x64xf32>) -> tensor<1x32x64xf32> {
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<32x72xf32>, tensor<1x72x64xf32>) outs(%init : tensor<1x32x64xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x32x64xf32>
  return %mm : tensor<1x32x64xf32>
}

// -----

#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// Without an epilogue the new one only adds the init and transposes back.
// 16 channels do not fill a 32-wide register tile: left alone.
// CHECK-LABEL: func.func @no_epilogue
// CHECK:         linalg.transpose
// CHECK:         %[[PROD:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<1x49x32xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[PROD]] : tensor<1x49x32xf32>) outs(%{{.+}} : tensor<1x32x49xf32>)
// CHECK:           arith.addf
// CHECK-NEXT:      linalg.yield
// CHECK-LABEL: func.func @few_channels
// CHECK-NOT:     linalg.transpose
func.func @no_epilogue(%w: tensor<32x72xf32>, %col: tensor<1x72x49xf32>,
                       %init: tensor<1x32x49xf32>) -> tensor<1x32x49xf32> {
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<32x72xf32>, tensor<1x72x49xf32>) outs(%init : tensor<1x32x49xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x32x49xf32>
  return %mm : tensor<1x32x49xf32>
}
func.func @few_channels(%w: tensor<16x72xf32>, %col: tensor<1x72x49xf32>,
                        %init: tensor<1x16x49xf32>) -> tensor<1x16x49xf32> {
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<16x72xf32>, tensor<1x72x49xf32>) outs(%init : tensor<1x16x49xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x16x49xf32>
  return %mm : tensor<1x16x49xf32>
}

// -----

#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// A shallow reduction (a 3-channel stem, K = 27) does not amortize the
// transposing epilogue: left alone.
// CHECK-LABEL: func.func @shallow
// CHECK-NOT:     linalg.transpose
func.func @shallow(%w: tensor<64x27xf32>, %col: tensor<1x27x49xf32>,
                   %init: tensor<1x64x49xf32>) -> tensor<1x64x49xf32> {
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<64x27xf32>, tensor<1x27x49xf32>) outs(%init : tensor<1x64x49xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x64x49xf32>
  return %mm : tensor<1x64x49xf32>
}

// -----

#w = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// 14x14 = 196 pixels are 6 register tiles of 32 and a remainder of 4
// lanes, a short power-of-two vector: left alone (no transposing epilogue).
// CHECK-LABEL: func.func @short_remainder
// CHECK-NOT:     linalg.transpose
// CHECK:         linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<32x72xf32>, tensor<1x72x196xf32>)
func.func @short_remainder(%w: tensor<32x72xf32>, %col: tensor<1x72x196xf32>,
                           %init: tensor<1x32x196xf32>) -> tensor<1x32x196xf32> {
  %mm = linalg.generic {indexing_maps = [#w, #x, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<32x72xf32>, tensor<1x72x196xf32>) outs(%init : tensor<1x32x196xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x32x196xf32>
  return %mm : tensor<1x32x196xf32>
}
