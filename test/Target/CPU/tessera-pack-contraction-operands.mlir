// RUN: tessera-opt %s --split-input-file --tessera-pack-contraction-operands | FileCheck %s

// A constant right-hand side is packed at compile time into panels of the
// register tile's width (2): B[k, n] -> P[n / 2, k, 2]; the contraction
// reads it back through linalg.unpack.
// CHECK-LABEL: func.func @constant_rhs
// CHECK:         %[[P:.+]] = arith.constant dense<{{\[}}{{\[}}[0.000000e+00, 1.000000e+00], [4.000000e+00, 5.000000e+00]], {{\[}}[2.000000e+00, 3.000000e+00], [6.000000e+00, 7.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK:         %[[U:.+]] = linalg.unpack %[[P]] outer_dims_perm = [1, 0] inner_dims_pos = [1] inner_tiles = [2]
// CHECK-SAME:      -> tensor<2x4xf32>
// CHECK:         linalg.matmul
// CHECK-SAME:      ins(%{{.+}}, %[[U]] :
func.func @constant_rhs(%a: tensor<4x2xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]> : tensor<2x4xf32>
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 0, 0, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 2, 1>,
                      pack_rhs}}
      ins(%a, %b : tensor<4x2xf32>, tensor<2x4xf32>)
      outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// A right-hand side computed at run time is packed by a transpose of its
// expanded view, which gets parallel tiles of its own; two contractions
// that read it share one packed copy.
// CHECK-LABEL: func.func @runtime_rhs
// CHECK:         %[[E:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2]] output_shape [64, 4, 32]
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[E]] : tensor<64x4x32xf32>) outs(%{{.+}} : tensor<4x64x32xf32>) permutation = [1, 0, 2]
// CHECK-SAME:      tessera.tile_config
// CHECK:         %[[U:.+]] = linalg.unpack %[[T]]
// CHECK:         linalg.matmul {{.*}} ins(%{{.+}}, %[[U]] :
// CHECK:         linalg.matmul {{.*}} ins(%{{.+}}, %[[U]] :
// CHECK-NOT:     linalg.unpack
func.func @runtime_rhs(%a: tensor<16x64xf32>, %b: tensor<64x128xf32>,
                       %c: tensor<16x128xf32>) -> (tensor<16x128xf32>, tensor<16x128xf32>) {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 64, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>,
                      pack_rhs}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x128xf32>)
      outs(%c : tensor<16x128xf32>) -> tensor<16x128xf32>
  %s = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 64, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>,
                      pack_rhs}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x128xf32>)
      outs(%c : tensor<16x128xf32>) -> tensor<16x128xf32>
  return %r, %s : tensor<16x128xf32>, tensor<16x128xf32>
}

// -----

// Without pack_rhs in the config nothing changes.
// CHECK-LABEL: func.func @not_requested
// CHECK-NOT:     linalg.unpack
// CHECK:         linalg.matmul {{.*}} ins(%{{.+}}, %{{.+}} : tensor<16x64xf32>, tensor<64x128xf32>)
func.func @not_requested(%a: tensor<16x64xf32>, %b: tensor<64x128xf32>,
                         %c: tensor<16x128xf32>) -> tensor<16x128xf32> {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 64, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x128xf32>)
      outs(%c : tensor<16x128xf32>) -> tensor<16x128xf32>
  return %r : tensor<16x128xf32>
}
