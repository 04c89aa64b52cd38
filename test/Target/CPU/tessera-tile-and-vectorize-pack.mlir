// RUN: tessera-opt %s --split-input-file --tessera-tile-and-vectorize | FileCheck %s

// With pack_rhs, each cache tile reads its slice of the packed panels
// P[n / 32, k, 32] (offsets: the tile's n / 32 and k) instead of the
// unpacked B, so the micro-kernel streams one contiguous panel; the unpack
// is gone and the register tiles are still 8x32 FMAs.
// CHECK-LABEL: func.func @packed_rhs
// CHECK-SAME:    %[[P:[a-z0-9]+]]: tensor<4x64x32xf32>
// CHECK:         scf.forall (%[[I:.+]], %[[J:.+]]) = (0, 0) to (16, 128) step (8, 64)
// CHECK:           %[[PANEL:.+]] = affine.apply {{.*}}(%[[J]])
// CHECK:           scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK:             tensor.extract_slice %[[P]][%[[PANEL]], %[[K]], 0] [2, 32, 32] [1, 1, 1] : tensor<4x64x32xf32> to tensor<2x32x32xf32>
// CHECK:             tensor.expand_shape {{.*}} : tensor<8x64xf32> into tensor<8x2x32xf32>
// CHECK-COUNT-8:     vector.fma {{.*}} : vector<32xf32>
// CHECK:             tensor.collapse_shape {{.*}} : tensor<8x2x32xf32> into tensor<8x64xf32>
// CHECK-NOT:     linalg.unpack
func.func @packed_rhs(%a: tensor<16x64xf32>, %p: tensor<4x64x32xf32>,
                      %c: tensor<16x128xf32>) -> tensor<16x128xf32> {
  %e = tensor.empty() : tensor<64x128xf32>
  %b = linalg.unpack %p outer_dims_perm = [1, 0] inner_dims_pos = [1] inner_tiles = [32]
      into %e : tensor<4x64x32xf32> -> tensor<64x128xf32>
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 64, 0>,
                      reduction = array<i64: 0, 0, 32>, vector = array<i64: 8, 32, 1>,
                      pack_rhs}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x128xf32>)
      outs(%c : tensor<16x128xf32>) -> tensor<16x128xf32>
  return %r : tensor<16x128xf32>
}

// -----

// An unpack that is still read after tiling (here by the return) is
// lowered by upstream's linalg::lowerUnPack, so bufferization never sees
// it.
// CHECK-LABEL: func.func @fallback
// CHECK-NOT:     linalg.unpack
// CHECK:         linalg.transpose
func.func @fallback(%a: tensor<16x64xf32>, %p: tensor<4x64x32xf32>,
                    %c: tensor<16x128xf32>) -> (tensor<16x128xf32>, tensor<64x128xf32>) {
  %e = tensor.empty() : tensor<64x128xf32>
  %b = linalg.unpack %p outer_dims_perm = [1, 0] inner_dims_pos = [1] inner_tiles = [32]
      into %e : tensor<4x64x32xf32> -> tensor<64x128xf32>
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 64, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>,
                      pack_rhs}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x128xf32>)
      outs(%c : tensor<16x128xf32>) -> tensor<16x128xf32>
  return %r, %b : tensor<16x128xf32>, tensor<64x128xf32>
}
