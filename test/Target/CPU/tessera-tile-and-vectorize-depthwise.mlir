// RUN: tessera-opt %s --split-input-file --tessera-tile-and-vectorize | FileCheck %s

// A decomposed stride-2 depthwise convolution: each tap's row segment is
// read as one contiguous vector of twice the length from the unsliced input
// and every second lane is kept. The read of the kw = 2 tap may run one
// element past the row (4 * 2 + 2 > 9), so only its last dimension is
// masked.
// CHECK-LABEL: func.func @stride2
// CHECK-SAME:    %[[IN:[^:]+]]: tensor<1x2x9x9xf32>
// CHECK:         scf.forall
// CHECK:           %[[R0:.+]] = vector.transfer_read %[[IN]]{{.*}} {in_bounds = [true, true, true, true]} : tensor<1x2x9x9xf32>, vector<1x1x1x8xf32>
// CHECK:           vector.shuffle {{.*}} [0, 2, 4, 6] : vector<8xf32>, vector<8xf32>
// CHECK:           %[[R2:.+]] = vector.transfer_read %[[IN]]{{.*}} {in_bounds = [true, true, true, false]} : tensor<1x2x9x9xf32>, vector<1x1x1x8xf32>
// CHECK:           vector.shuffle {{.*}} [0, 2, 4, 6] : vector<8xf32>, vector<8xf32>
// CHECK:           arith.addf {{.*}} : vector<1x1x1x4xf32>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @stride2(%in: tensor<1x2x9x9xf32>) -> tensor<1x2x4x4xf32> {
  %x0 = tensor.extract_slice %in[0, 0, 0, 0] [1, 2, 4, 4] [1, 1, 2, 2]
      : tensor<1x2x9x9xf32> to tensor<1x2x4x4xf32>
  %x2 = tensor.extract_slice %in[0, 0, 0, 2] [1, 2, 4, 4] [1, 1, 2, 2]
      : tensor<1x2x9x9xf32> to tensor<1x2x4x4xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"],
                       tessera.tile_config = {parallel = array<i64: 1, 1, 0, 0>,
                                              reduction = array<i64: 0, 0, 0, 0>,
                                              vector = array<i64: 1, 1, 1, 4>}}
      ins(%x0, %x2 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>)
      outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%a0: f32, %a2: f32, %o: f32):
    %s = arith.addf %a0, %a2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2x4x4xf32>
  return %r : tensor<1x2x4x4xf32>
}

// -----

// With unit strides the windows are contiguous: plain vector reads, no
// shuffles.
// CHECK-LABEL: func.func @stride1
// CHECK:         vector.transfer_read {{.*}} vector<1x1x1x4xf32>
// CHECK-NOT:     vector.shuffle
// CHECK:         return
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @stride1(%in: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %x0 = tensor.extract_slice %in[0, 0, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1]
      : tensor<1x2x6x6xf32> to tensor<1x2x4x4xf32>
  %x2 = tensor.extract_slice %in[0, 0, 2, 2] [1, 2, 4, 4] [1, 1, 1, 1]
      : tensor<1x2x6x6xf32> to tensor<1x2x4x4xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"],
                       tessera.tile_config = {parallel = array<i64: 1, 1, 0, 0>,
                                              reduction = array<i64: 0, 0, 0, 0>,
                                              vector = array<i64: 1, 1, 1, 4>}}
      ins(%x0, %x2 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>)
      outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%a0: f32, %a2: f32, %o: f32):
    %s = arith.addf %a0, %a2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2x4x4xf32>
  return %r : tensor<1x2x4x4xf32>
}
