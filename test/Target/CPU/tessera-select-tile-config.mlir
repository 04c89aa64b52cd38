// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config | FileCheck %s
// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config=vector-width=8 | FileCheck %s --check-prefix=AVX2

// A matmul gets parallel tiles of at most 64 x 256, a reduction cache tile
// of at most 256 that divides K, and an 8 x (2 vector widths) register tile;
// register tiles sweep m inside n, so one B panel stays in L1.
// CHECK-LABEL: func.func @matmul
// CHECK:         linalg.matmul {tessera.tile_config = {
// CHECK-SAME:      order = array<i64: 1, 0, 2>,
// CHECK-SAME:      parallel = array<i64: 64, 256, 0>,
// CHECK-SAME:      reduction = array<i64: 0, 0, 192>,
// CHECK-SAME:      vector = array<i64: 8, 32, 1>}}
// With AVX2's 16 registers, at most 6 rows of two vectors (the rest hold B
// and the broadcasts): 6 rows and a peeled remainder (64 = 10 * 6 + 4), the
// fewest register tiles; 4 reduction steps per micro-kernel iteration.
// AVX2-LABEL: func.func @matmul
// AVX2:         vector = array<i64: 6, 16, 4>
func.func @matmul(%a: tensor<128x576xf32>, %b: tensor<576x512xf32>,
                  %c: tensor<128x512xf32>) -> tensor<128x512xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<128x576xf32>, tensor<576x512xf32>)
                     outs(%c : tensor<128x512xf32>) -> tensor<128x512xf32>
  return %r : tensor<128x512xf32>
}

// -----

// 169 pixels (a 13x13 map) with 48 output channels, too few to vectorize
// along channels: one vector width with an odd remainder (169 = 10 * 16 +
// 9) rather than half of one with a remainder of 1.
// CHECK-LABEL: func.func @odd_pixels
// CHECK:         linalg.generic
// CHECK-SAME:      parallel = array<i64: 1, 48, 169, 0>
// CHECK-SAME:      vector = array<i64: 1, 8, 16, 1>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @odd_pixels(%w: tensor<48x256xf32>, %col: tensor<1x256x169xf32>,
                      %init: tensor<1x48x169xf32>) -> tensor<1x48x169xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
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

// The im2col form of a convolution (unit batch loop first): the register
// tile along OH*OW = 49 is one vector width so the peeled remainder is 1.
// CHECK-LABEL: func.func @im2col_contraction
// CHECK:         linalg.generic
// CHECK-SAME:      tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 64, 49, 0>, reduction = array<i64: 0, 0, 0, 256>, vector = array<i64: 1, 8, 16, 1>}
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @im2col_contraction(%w: tensor<512x4608xf32>, %col: tensor<1x4608x49xf32>,
                              %init: tensor<1x512x49xf32>) -> tensor<1x512x49xf32> {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<512x4608xf32>, tensor<1x4608x49xf32>)
      outs(%init : tensor<1x512x49xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x512x49xf32>
  return %r : tensor<1x512x49xf32>
}

// -----

// Elementwise ops only get parallel tiles, along their outermost loop of
// extent greater than one.
// CHECK-LABEL: func.func @relu
// CHECK:         linalg.generic
// CHECK-SAME:      tessera.tile_config = {parallel = array<i64: 0, 8, 0, 0>, reduction = array<i64: 0, 0, 0, 0>, vector = array<i64: 0, 0, 0, 0>}
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @relu(%x: tensor<1x64x56x56xf32>, %init: tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %r = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x64x56x56xf32>) outs(%init : tensor<1x64x56x56xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x64x56x56xf32>
  return %r : tensor<1x64x56x56xf32>
}

// -----

// A config already on the op (written by hand or a tuner) is kept.
// CHECK-LABEL: func.func @user_override
// CHECK:         tessera.tile_config = {parallel = array<i64: 4, 4, 0>, reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 4, 1>}
func.func @user_override(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>,
                         %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 4, 4, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 4, 1>}}
      ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>)
      outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

// A contraction that reads an im2col copy (ResNet's 3x3 64 -> 64 at 56x56,
// K = 576 = 64 * 3 * 3) gets a reduction tile of whole channels (144, not
// 192), so that each cache tile can compute its own slice of the copy; its
// 224-wide tiles are whole output rows (4 x 56). The copy is not packed.
// CHECK-LABEL: func.func @im2col_view
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%{{.+}} : tensor<1x64x58x58xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:      tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 64, 224, 0>, reduction = array<i64: 0, 0, 0, 144>, vector = array<i64: 1, 8, 32, 1>}
#in = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh + oh, kw + ow)>
#id6 = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh, kw, oh, ow)>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @im2col_view(%x: tensor<1x64x58x58xf32>, %w: tensor<64x576xf32>,
                       %init: tensor<1x64x3136xf32>) -> tensor<1x64x3136xf32> {
  %e = tensor.empty() : tensor<1x64x3x3x56x56xf32>
  %col6 = linalg.generic {indexing_maps = [#in, #id6],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x64x58x58xf32>) outs(%e : tensor<1x64x3x3x56x56xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x3x3x56x56xf32>
  %col = tensor.collapse_shape %col6 [[0], [1, 2, 3], [4, 5]] : tensor<1x64x3x3x56x56xf32> into tensor<1x576x3136xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<64x576xf32>, tensor<1x576x3136xf32>) outs(%init : tensor<1x64x3136xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x3136xf32>
  return %r : tensor<1x64x3136xf32>
}

// -----

// A transposed 13x13 convolution (tessera-transpose-narrow-contractions:
// outT[n, p, f], p = 169 pixels): the pixel tile is 13 rows, and the
// register tile takes all 13 of them (26 accumulators) instead of 8 rows
// and a peeled remainder of 5.
// CHECK-LABEL: func.func @thirteen_rows
// CHECK:         linalg.generic
// CHECK-SAME:      parallel = array<i64: 1, 13, 64, 0>
// CHECK-SAME:      vector = array<i64: 1, 13, 32, 1>
// With AVX2's 16 registers 13 rows would spill, and so would 8: 6 rows and a
// remainder, in one parallel tile of all 169 rows (13-row tiles would be
// 6 + 6 + 1 rows, and read each B panel 13 times).
// AVX2-LABEL: func.func @thirteen_rows
// AVX2:         parallel = array<i64: 1, 169, 64, 0>
// AVX2-SAME:    vector = array<i64: 1, 6, 16, 4>
#tl = affine_map<(n, p, f, k) -> (n, k, p)>
#tr = affine_map<(n, p, f, k) -> (k, f)>
#to = affine_map<(n, p, f, k) -> (n, p, f)>
func.func @thirteen_rows(%col: tensor<1x256x169xf32>, %wt: tensor<256x64xf32>,
                         %init: tensor<1x169x64xf32>) -> tensor<1x169x64xf32> {
  %r = linalg.generic {indexing_maps = [#tl, #tr, #to],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%col, %wt : tensor<1x256x169xf32>, tensor<256x64xf32>)
      outs(%init : tensor<1x169x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x169x64xf32>
  return %r : tensor<1x169x64xf32>
}
