// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config | FileCheck %s
// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config=vector-width=8 | FileCheck %s --check-prefix=AVX2

// A depthwise convolution decomposed by tessera-decompose-depthwise-conv,
// with a bias and a Clip fused in: 8 parallel tiles of channels and a
// register tile of one vector register along ow (56 = 3 x 16 + 8 peeled).
// CHECK-LABEL: func.func @depthwise
// CHECK:         linalg.generic
// CHECK-SAME:      tessera.tile_config = {parallel = array<i64: 1, 18, 0, 0>, reduction = array<i64: 0, 0, 0, 0>, vector = array<i64: 1, 1, 1, 16>}
// AVX2-LABEL: func.func @depthwise
// AVX2:         vector = array<i64: 1, 1, 1, 8>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#ch = affine_map<(n, c, h, w) -> (c)>
func.func @depthwise(%in: tensor<1x144x58x58xf32>, %w0: tensor<144xf32>,
                     %w1: tensor<144xf32>, %b: tensor<144xf32>)
    -> tensor<1x144x56x56xf32> {
  %x0 = tensor.extract_slice %in[0, 0, 0, 0] [1, 144, 56, 56] [1, 1, 1, 1]
      : tensor<1x144x58x58xf32> to tensor<1x144x56x56xf32>
  %x1 = tensor.extract_slice %in[0, 0, 0, 1] [1, 144, 56, 56] [1, 1, 1, 1]
      : tensor<1x144x58x58xf32> to tensor<1x144x56x56xf32>
  %e = tensor.empty() : tensor<1x144x56x56xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #ch, #ch, #ch, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x0, %x1, %w0, %w1, %b : tensor<1x144x56x56xf32>, tensor<1x144x56x56xf32>,
          tensor<144xf32>, tensor<144xf32>, tensor<144xf32>)
      outs(%e : tensor<1x144x56x56xf32>) {
  ^bb0(%a0: f32, %a1: f32, %k0: f32, %k1: f32, %bias: f32, %o: f32):
    %p0 = arith.mulf %a0, %k0 : f32
    %s0 = arith.addf %bias, %p0 : f32
    %p1 = arith.mulf %a1, %k1 : f32
    %s1 = arith.addf %s0, %p1 : f32
    %zero = arith.constant 0.0 : f32
    %six = arith.constant 6.0 : f32
    %lo = arith.maximumf %s1, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x144x56x56xf32>
  return %r : tensor<1x144x56x56xf32>
}

// -----

// Rows of at most two vector registers are one register tile; 7 channels
// allow no more than 7 tiles of 1.
// CHECK-LABEL: func.func @short_rows
// CHECK:         tessera.tile_config = {parallel = array<i64: 1, 1, 0, 0>, reduction = array<i64: 0, 0, 0, 0>, vector = array<i64: 1, 1, 1, 28>}
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @short_rows(%in: tensor<1x7x57x57xf32>) -> tensor<1x7x28x28xf32> {
  %x0 = tensor.extract_slice %in[0, 0, 0, 0] [1, 7, 28, 28] [1, 1, 2, 2]
      : tensor<1x7x57x57xf32> to tensor<1x7x28x28xf32>
  %x1 = tensor.extract_slice %in[0, 0, 1, 1] [1, 7, 28, 28] [1, 1, 2, 2]
      : tensor<1x7x57x57xf32> to tensor<1x7x28x28xf32>
  %e = tensor.empty() : tensor<1x7x28x28xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x0, %x1 : tensor<1x7x28x28xf32>, tensor<1x7x28x28xf32>)
      outs(%e : tensor<1x7x28x28xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %s = arith.addf %a0, %a1 : f32
    linalg.yield %s : f32
  } -> tensor<1x7x28x28xf32>
  return %r : tensor<1x7x28x28xf32>
}

// -----

// An elementwise op on one window of a tensor is not a convolution: it keeps
// the parallel-only config of elementwise ops.
// CHECK-LABEL: func.func @one_window
// CHECK:         tessera.tile_config = {parallel = array<i64: 0, 18, 0, 0>, reduction = array<i64: 0, 0, 0, 0>, vector = array<i64: 0, 0, 0, 0>}
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @one_window(%in: tensor<1x144x58x58xf32>, %y: tensor<1x144x56x56xf32>)
    -> tensor<1x144x56x56xf32> {
  %x0 = tensor.extract_slice %in[0, 0, 1, 1] [1, 144, 56, 56] [1, 1, 1, 1]
      : tensor<1x144x58x58xf32> to tensor<1x144x56x56xf32>
  %e = tensor.empty() : tensor<1x144x56x56xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x0, %y : tensor<1x144x56x56xf32>, tensor<1x144x56x56xf32>)
      outs(%e : tensor<1x144x56x56xf32>) {
  ^bb0(%a0: f32, %a1: f32, %o: f32):
    %s = arith.addf %a0, %a1 : f32
    linalg.yield %s : f32
  } -> tensor<1x144x56x56xf32>
  return %r : tensor<1x144x56x56xf32>
}
