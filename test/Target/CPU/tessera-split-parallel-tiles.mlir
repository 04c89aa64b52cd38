// RUN: tessera-opt %s --split-input-file --tessera-split-parallel-tiles | FileCheck %s
// RUN: tessera-opt %s --split-input-file --tessera-split-parallel-tiles=min-tiles=2 | FileCheck %s --check-prefix=TWO

// One parallel tile (48 channels x 169 pixels): the 169 pixels have no
// divisor that is a multiple of the 16-lane register tile, so the channels
// are split in multiples of the 8-row register tile; register and
// reduction levels are unchanged.
// CHECK-LABEL: func.func @one_tile
// CHECK:         tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 8, 169, 0>, reduction = array<i64: 0, 0, 0, 0>, vector = array<i64: 1, 8, 16, 1>}
// TWO-LABEL: func.func @one_tile
// TWO:         parallel = array<i64: 1, 24, 169, 0>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @one_tile(%w: tensor<48x256xf32>, %col: tensor<1x256x169xf32>,
                    %init: tensor<1x48x169xf32>) -> tensor<1x48x169xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"],
                       tessera.tile_config = {order = array<i64: 0, 2, 1, 3>,
                                              parallel = array<i64: 1, 48, 169, 0>,
                                              reduction = array<i64: 0, 0, 0, 0>,
                                              vector = array<i64: 1, 8, 16, 1>}}
      ins(%w, %col : tensor<48x256xf32>, tensor<1x256x169xf32>)
      outs(%init : tensor<1x48x169xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x48x169xf32>
  return %r : tensor<1x48x169xf32>
}

// -----

// Two tiles of 256 output channels (a transposed 7x7 layer): the channels
// are split into tiles of whole 32-lane packed panels (no multiple of the
// 8-row register tile divides the 49 rows).
// CHECK-LABEL: func.func @two_tiles
// CHECK:         pack_rhs, parallel = array<i64: 49, 128, 0>
// CHECK-SAME:    vector = array<i64: 8, 32, 1>
// TWO-LABEL: func.func @two_tiles
// TWO:         parallel = array<i64: 49, 256, 0>
func.func @two_tiles(%a: tensor<49x512xf32>, %b: tensor<512x512xf32>,
                     %c: tensor<49x512xf32>) -> tensor<49x512xf32> {
  %r = linalg.matmul {tessera.tile_config = {order = array<i64: 1, 0, 2>,
                                             pack_rhs,
                                             parallel = array<i64: 49, 256, 0>,
                                             reduction = array<i64: 0, 0, 256>,
                                             vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<49x512xf32>, tensor<512x512xf32>)
      outs(%c : tensor<49x512xf32>) -> tensor<49x512xf32>
  return %r : tensor<49x512xf32>
}

// -----

// An elementwise op with two parallel tiles along its outermost long loop
// (one head each) gets the rest from the next loop.
// CHECK-LABEL: func.func @elementwise
// CHECK:         parallel = array<i64: 0, 1, 256, 0>
#map = affine_map<(a, b, c, d) -> (a, b, c, d)>
func.func @elementwise(%x: tensor<1x2x512x512xf32>) -> tensor<1x2x512x512xf32> {
  %r = linalg.generic {indexing_maps = [#map],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"],
                       tessera.tile_config = {parallel = array<i64: 0, 1, 0, 0>,
                                              reduction = array<i64: 0, 0, 0, 0>,
                                              vector = array<i64: 0, 0, 0, 0>}}
      outs(%x : tensor<1x2x512x512xf32>) {
  ^bb0(%v: f32):
    %e = math.exp %v : f32
    linalg.yield %e : f32
  } -> tensor<1x2x512x512xf32>
  return %r : tensor<1x2x512x512xf32>
}

// -----

// Enough tiles already, no parallel tiles at all (run inline on purpose),
// or too little work (32x64x64: a few microseconds): unchanged.
// CHECK-LABEL: func.func @unchanged
// CHECK:         parallel = array<i64: 64, 256, 0>
// CHECK:         parallel = array<i64: 0, 0, 0>
// CHECK:         parallel = array<i64: 32, 64, 0>
func.func @unchanged(%a: tensor<256x64xf32>, %b: tensor<64x512xf32>,
                     %c: tensor<256x512xf32>, %d: tensor<8x512xf32>,
                     %e: tensor<64x512xf32>, %f: tensor<8x64xf32>,
                     %g: tensor<32x64xf32>, %h: tensor<64x64xf32>,
                     %i: tensor<32x64xf32>)
    -> (tensor<256x512xf32>, tensor<8x512xf32>, tensor<32x64xf32>) {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 64, 256, 0>,
                                             reduction = array<i64: 0, 0, 0>,
                                             vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<256x64xf32>, tensor<64x512xf32>)
      outs(%c : tensor<256x512xf32>) -> tensor<256x512xf32>
  %s = linalg.matmul {tessera.tile_config = {parallel = array<i64: 0, 0, 0>,
                                             reduction = array<i64: 0, 0, 0>,
                                             vector = array<i64: 8, 32, 1>}}
      ins(%f, %e : tensor<8x64xf32>, tensor<64x512xf32>)
      outs(%d : tensor<8x512xf32>) -> tensor<8x512xf32>
  %t = linalg.matmul {tessera.tile_config = {parallel = array<i64: 32, 64, 0>,
                                             reduction = array<i64: 0, 0, 0>,
                                             vector = array<i64: 8, 32, 1>}}
      ins(%g, %h : tensor<32x64xf32>, tensor<64x64xf32>)
      outs(%i : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %r, %s, %t : tensor<256x512xf32>, tensor<8x512xf32>, tensor<32x64xf32>
}

// -----

// Both loops could be split: n is, because each piece then re-reads its
// 64x128 tile of A (8192 elements) rather than a 128x128 panel of B.
// CHECK-LABEL: func.func @cheaper_loop
// CHECK:         parallel = array<i64: 64, 64, 0>
// TWO-LABEL: func.func @cheaper_loop
// TWO:         parallel = array<i64: 64, 128, 0>
func.func @cheaper_loop(%a: tensor<128x128xf32>, %b: tensor<128x128xf32>,
                        %c: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 64, 128, 0>,
                                             reduction = array<i64: 0, 0, 0>,
                                             vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<128x128xf32>, tensor<128x128xf32>)
      outs(%c : tensor<128x128xf32>) -> tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}

// -----

// AVX2's 6-row register tiles do not divide a 64-row parallel tile (10 x 6
// and a peeled 4): the rows are split anyway, into tiles of at least four
// register tiles (32 = 5 x 6 + 2), where the 16 columns cannot be split.
// CHECK-LABEL: func.func @peeled_rows
// CHECK:         parallel = array<i64: 32, 16, 0>
// CHECK-SAME:    vector = array<i64: 6, 16, 1>
func.func @peeled_rows(%a: tensor<64x512xf32>, %b: tensor<512x16xf32>,
                       %c: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %r = linalg.matmul {tessera.tile_config = {order = array<i64: 1, 0, 2>,
                                             parallel = array<i64: 64, 16, 0>,
                                             reduction = array<i64: 0, 0, 0>,
                                             vector = array<i64: 6, 16, 1>}}
      ins(%a, %b : tensor<64x512xf32>, tensor<512x16xf32>)
      outs(%c : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %r : tensor<64x16xf32>
}

// -----

// 169 rows of 6-row register tiles are not split into 13-row tiles (6 + 6 +
// 1 rows, fewer than four register tiles): the columns are.
// CHECK-LABEL: func.func @few_register_tiles
// CHECK:         parallel = array<i64: 169, 16, 0>
func.func @few_register_tiles(%a: tensor<169x256xf32>, %b: tensor<256x48xf32>,
                              %c: tensor<169x48xf32>) -> tensor<169x48xf32> {
  %r = linalg.matmul {tessera.tile_config = {order = array<i64: 1, 0, 2>,
                                             parallel = array<i64: 169, 48, 0>,
                                             reduction = array<i64: 0, 0, 0>,
                                             vector = array<i64: 6, 16, 1>}}
      ins(%a, %b : tensor<169x256xf32>, tensor<256x48xf32>)
      outs(%c : tensor<169x48xf32>) -> tensor<169x48xf32>
  return %r : tensor<169x48xf32>
}
