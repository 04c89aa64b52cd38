// RUN: tessera-opt %s --split-input-file --verify-diagnostics --tessera-tile-and-vectorize | FileCheck %s

// Parallel tiles become an scf.forall, register tiles scf.for loops; the
// 8x32 accumulator is read once per register tile, carried in registers
// through the unit-step reduction loop as vector.fma on vector<32xf32>, and
// written once.
// CHECK-LABEL: func.func @matmul
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (16, 64) step (8, 32)
// CHECK:           %[[ACC:.+]] = vector.transfer_read {{.*}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK:           %[[SUM:.+]] = scf.for {{.*}} iter_args(%[[V:.+]] = %[[ACC]]) -> (vector<8x32xf32>)
// CHECK-COUNT-8:     vector.fma {{.*}} : vector<32xf32>
// CHECK:           vector.transfer_write %[[SUM]]
// CHECK-NOT:     linalg.matmul
func.func @matmul(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>,
                  %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 32, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>)
      outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}

// -----

// A register tile that does not divide its loop is peeled: 40 = 32 + 8, both
// parts are vectorized with static shapes.
// CHECK-LABEL: func.func @peeled
// CHECK:         scf.for {{.*}} -> (vector<4x32xf32>)
// CHECK:         scf.for {{.*}} -> (vector<4x8xf32>)
// CHECK-NOT:     linalg.matmul
func.func @peeled(%a: tensor<4x16xf32>, %b: tensor<16x40xf32>,
                  %c: tensor<4x40xf32>) -> tensor<4x40xf32> {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 0, 0, 0>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 32, 1>}}
      ins(%a, %b : tensor<4x16xf32>, tensor<16x40xf32>)
      outs(%c : tensor<4x40xf32>) -> tensor<4x40xf32>
  return %r : tensor<4x40xf32>
}

// -----

// Parallel-only configs tile without vectorizing; the tile stays linalg.
// CHECK-LABEL: func.func @parallel_only
// CHECK:         scf.forall ({{.*}}) = (0) to (64) step (16)
// CHECK:           linalg.generic {{.*}} ins({{.*}} : tensor<16x32xf32>)
// CHECK-NOT:       tessera.tile_config
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @parallel_only(%x: tensor<64x32xf32>, %init: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x32xf32>) outs(%init : tensor<64x32xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 16, 0>,
               reduction = array<i64: 0, 0>, vector = array<i64: 0, 0>}} {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}

// -----

// A config must give every level one size per loop.
func.func @bad_config(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>,
                      %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid 'tessera.tile_config': expected {parallel, reduction, vector} arrays of 3 non-negative sizes}}
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 4, 4>,
                      reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 4, 1>}}
      ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>)
      outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

// A contraction whose result is updated in place by an elementwise epilogue
// (see tessera-prepare-epilogue-fusion) is tiled together with it: one
// scf.forall computes the bias broadcast, the register-blocked product and
// the ReLU on each 8x32 output tile, so no full-size intermediate is
// written. The epilogue's own parallel config gives way to the fusion.
// The bias broadcast is computed by the register tile itself: the
// accumulator starts as the bias row broadcast in registers, not as a
// tile written in memory and read back, and the ReLU is applied to the
// accumulator before the tile's only write.
// CHECK-LABEL: func.func @fused_epilogue
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<16x64xf32>
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (16, 64) step (8, 32) shared_outs(%[[OUT:.+]] = %[[EMPTY]])
// CHECK:           %[[TILE:.+]] = tensor.extract_slice %[[OUT]]
// CHECK-NOT:       linalg.generic
// CHECK:           %[[ROW:.+]] = vector.transfer_read {{.*}} : tensor<32xf32>, vector<32xf32>
// CHECK:           %[[ACC:.+]] = vector.insert %[[ROW]], %{{.+}} [7] : vector<32xf32> into vector<8x32xf32>
// CHECK-NOT:       vector.transfer_read
// CHECK:           %[[SUM:.+]] = scf.for {{.*}} iter_args(%{{.+}} = %[[ACC]]) -> (vector<8x32xf32>)
// CHECK-COUNT-8:     vector.fma {{.*}} : vector<32xf32>
// CHECK:           %[[RELU:.+]] = arith.maximumf %[[SUM]], %{{.+}} : vector<8x32xf32>
// CHECK-NOT:       linalg.generic
// CHECK:           %[[RESULT:.+]] = vector.transfer_write %[[RELU]]
// CHECK:           tensor.parallel_insert_slice %[[RESULT]] into %[[OUT]]
// CHECK-NOT:     tessera.tile_config
#row = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @fused_epilogue(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>,
                          %bias: tensor<64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<16x64xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 4, 0>,
               reduction = array<i64: 0, 0>, vector = array<i64: 0, 0>}} {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<16x64xf32>
  %mm = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 32, 0>,
                       reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>)
      outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  %relu = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%mm : tensor<16x64xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 4, 0>,
               reduction = array<i64: 0, 0>, vector = array<i64: 0, 0>}} {
  ^bb0(%out: f32):
    %r = arith.maximumf %out, %zero : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  return %relu : tensor<16x64xf32>
}

// -----

// A convolution's contraction that reads the collapsed view of its im2col
// copy computes, in each cache tile, the slice of the copy it reads: 2
// channels (k = 18 = 2 * 3 * 3) of 4 output rows (p = 32 = 4 * 8), from a
// 2 x 6 x 10 window of the input, right before the micro-kernel, one
// vector row (8 floats) at a time. The whole copy is never materialized.
// CHECK-DAG:   #[[$ROWS:.+]] = affine_map<(d0) -> (d0 floordiv 8)>
// CHECK-DAG:   #[[$CHANNELS:.+]] = affine_map<(d0) -> (d0 floordiv 9)>
// CHECK-LABEL: func.func @im2col_tiles
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<1x4x10x10xf32>
// CHECK-NOT:     tensor<1x4x3x3x8x8xf32>
// CHECK:         scf.forall (%[[N:.+]], %{{.+}}, %[[P:.+]]) = (0, 0, 0) to (1, 16, 64) step (1, 8, 32)
// CHECK:           %[[ROW:.+]] = affine.apply #[[$ROWS]](%[[P]])
// CHECK:           scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK:             %[[C:.+]] = affine.apply #[[$CHANNELS]](%[[K]])
// CHECK:             %[[WINDOW:.+]] = tensor.extract_slice %[[X]][%[[N]], %[[C]], %[[ROW]], 0] [1, 2, 6, 10] [1, 1, 1, 1]
// CHECK:             %[[TILE:.+]] = scf.for {{.*}} -> (tensor<1x2x3x3x4x8xf32>)
// CHECK:               scf.for
// CHECK:                 scf.for
// CHECK:                   scf.for
// CHECK:                     %[[SEG:.+]] = tensor.extract_slice %[[WINDOW]][0, %{{.+}}, %{{.+}}, %{{.+}}] [1, 1, 1, 8] [1, 1, 1, 1]
// CHECK:                     vector.transfer_read %[[SEG]]{{.*}} : tensor<1x1x1x8xf32>, vector<1x1x1x8xf32>
// CHECK:                     vector.transfer_write {{.*}} : vector<1x1x1x1x1x8xf32>, tensor<1x2x3x3x4x8xf32>
// CHECK:             tensor.collapse_shape %[[TILE]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x2x3x3x4x8xf32> into tensor<1x18x32xf32>
// CHECK:             scf.for
// CHECK-COUNT-8:       vector.fma {{.*}} : vector<32xf32>
#in = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh + oh, kw + ow)>
#id6 = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh, kw, oh, ow)>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @im2col_tiles(%x: tensor<1x4x10x10xf32>, %w: tensor<16x36xf32>,
                        %init: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %e = tensor.empty() : tensor<1x4x3x3x8x8xf32>
  %col6 = linalg.generic {indexing_maps = [#in, #id6],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x10x10xf32>) outs(%e : tensor<1x4x3x3x8x8xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 0, 1, 0, 0, 0, 0>,
               reduction = array<i64: 0, 0, 0, 0, 0, 0>, vector = array<i64: 0, 0, 0, 0, 0, 0>}} {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x3x3x8x8xf32>
  %col = tensor.collapse_shape %col6 [[0], [1, 2, 3], [4, 5]] : tensor<1x4x3x3x8x8xf32> into tensor<1x36x64xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<16x36xf32>, tensor<1x36x64xf32>) outs(%init : tensor<1x16x64xf32>)
      attrs = {tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 8, 32, 0>,
               reduction = array<i64: 0, 0, 0, 18>, vector = array<i64: 1, 8, 32, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x16x64xf32>
  return %r : tensor<1x16x64xf32>
}

// -----

// A stride-2 convolution: the rows of the copy tile are every other input
// element. Each row (8 lanes) is one contiguous read of twice its length
// from its 15-element input segment, masked past the segment's end, and a
// shuffle of the even lanes.
// CHECK-LABEL: func.func @im2col_strided_rows
// CHECK:         scf.forall
// CHECK:           scf.for
// CHECK-NOT:         linalg.generic
// CHECK:             tensor.extract_slice {{.*}} to tensor<1x1x1x15xf32>
// CHECK:             vector.transfer_read {{.*}} {in_bounds = [true, true, true, false]} : tensor<1x1x1x15xf32>, vector<1x1x1x16xf32>
// CHECK:             vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xf32>, vector<16xf32>
// CHECK:             vector.transfer_write {{.*}} : vector<1x1x1x1x1x8xf32>, tensor<1x2x3x3x4x8xf32>
#in = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh + oh * 2, kw + ow * 2)>
#id6 = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh, kw, oh, ow)>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @im2col_strided_rows(%x: tensor<1x4x17x17xf32>, %w: tensor<16x36xf32>,
                               %init: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %e = tensor.empty() : tensor<1x4x3x3x8x8xf32>
  %col6 = linalg.generic {indexing_maps = [#in, #id6],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x17x17xf32>) outs(%e : tensor<1x4x3x3x8x8xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 0, 1, 0, 0, 0, 0>,
               reduction = array<i64: 0, 0, 0, 0, 0, 0>, vector = array<i64: 0, 0, 0, 0, 0, 0>}} {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x3x3x8x8xf32>
  %col = tensor.collapse_shape %col6 [[0], [1, 2, 3], [4, 5]] : tensor<1x4x3x3x8x8xf32> into tensor<1x36x64xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<16x36xf32>, tensor<1x36x64xf32>) outs(%init : tensor<1x16x64xf32>)
      attrs = {tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 8, 32, 0>,
               reduction = array<i64: 0, 0, 0, 18>, vector = array<i64: 1, 8, 32, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x16x64xf32>
  return %r : tensor<1x16x64xf32>
}

// -----

// Strided rows longer than one register (20 lanes) are copied in chunks of
// 16 output lanes, each read as 32 contiguous input lanes; the last chunk
// ends at the row's end (it overlaps the first) and only its read, which
// would run one element past the 39-element segment, is masked. The tiles
// of 16 pixels split rows of 20, so the copy is computed whole, by its own
// parallel tiles.
// CHECK-LABEL: func.func @im2col_strided_chunks
// CHECK:         scf.forall
// CHECK-NOT:       linalg.generic
// CHECK:           tensor.extract_slice {{.*}} to tensor<1x1x1x39xf32>
// CHECK:           %[[R0:.+]] = vector.transfer_read %{{.+}}[%c0, %c0, %c0, %c0], {{.*}} {in_bounds = [true, true, true, true]} : tensor<1x1x1x39xf32>, vector<1x1x1x32xf32>
// CHECK:           vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xf32>, vector<32xf32>
// CHECK:           vector.transfer_write {{.*}}, %c0] {{.*}} : vector<1x1x1x1x1x16xf32>, tensor<1x1x3x3x20x20xf32>
// CHECK:           vector.transfer_read %{{.+}}[%c0, %c0, %c0, %c8], {{.*}} {in_bounds = [true, true, true, false]} : tensor<1x1x1x39xf32>, vector<1x1x1x32xf32>
// CHECK:           vector.transfer_write {{.*}}, %c4] {{.*}} : vector<1x1x1x1x1x16xf32>, tensor<1x1x3x3x20x20xf32>
#in = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh + oh * 2, kw + ow * 2)>
#id6 = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh, kw, oh, ow)>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @im2col_strided_chunks(%x: tensor<1x2x41x41xf32>, %w: tensor<16x18xf32>,
                                 %init: tensor<1x16x400xf32>) -> tensor<1x16x400xf32> {
  %e = tensor.empty() : tensor<1x2x3x3x20x20xf32>
  %col6 = linalg.generic {indexing_maps = [#in, #id6],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x2x41x41xf32>) outs(%e : tensor<1x2x3x3x20x20xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 0, 1, 0, 0, 0, 0>,
               reduction = array<i64: 0, 0, 0, 0, 0, 0>, vector = array<i64: 0, 0, 0, 0, 0, 0>}} {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x3x3x20x20xf32>
  %col = tensor.collapse_shape %col6 [[0], [1, 2, 3], [4, 5]] : tensor<1x2x3x3x20x20xf32> into tensor<1x18x400xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<16x18xf32>, tensor<1x18x400xf32>) outs(%init : tensor<1x16x400xf32>)
      attrs = {tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 8, 16, 0>,
               reduction = array<i64: 0, 0, 0, 0>, vector = array<i64: 1, 8, 16, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x16x400xf32>
  return %r : tensor<1x16x400xf32>
}

// -----

// A reduction tile that splits a channel's 3 x 3 group (12) cannot compute
// its own slice of the copy: the copy is computed whole, by its own
// parallel tiles (one vector row at a time), before the contraction.
// CHECK-LABEL: func.func @im2col_unaligned
// CHECK:         %[[COPY:.+]] = scf.forall (%{{.+}}) in (4)
// CHECK-NOT:       linalg.generic
// CHECK:           scf.for {{.*}} -> (tensor<1x1x3x3x8x8xf32>)
// CHECK:             vector.transfer_read {{.*}} : tensor<1x1x1x8xf32>, vector<1x1x1x8xf32>
// CHECK:             vector.transfer_write {{.*}} : vector<1x1x1x1x1x8xf32>, tensor<1x1x3x3x8x8xf32>
// CHECK:         tensor.collapse_shape %[[COPY]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x4x3x3x8x8xf32> into tensor<1x36x64xf32>
// CHECK:         scf.forall
// CHECK-NOT:       linalg.generic
#in = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh + oh, kw + ow)>
#id6 = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh, kw, oh, ow)>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @im2col_unaligned(%x: tensor<1x4x10x10xf32>, %w: tensor<16x36xf32>,
                            %init: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %e = tensor.empty() : tensor<1x4x3x3x8x8xf32>
  %col6 = linalg.generic {indexing_maps = [#in, #id6],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x10x10xf32>) outs(%e : tensor<1x4x3x3x8x8xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 0, 1, 0, 0, 0, 0>,
               reduction = array<i64: 0, 0, 0, 0, 0, 0>, vector = array<i64: 0, 0, 0, 0, 0, 0>}} {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x3x3x8x8xf32>
  %col = tensor.collapse_shape %col6 [[0], [1, 2, 3], [4, 5]] : tensor<1x4x3x3x8x8xf32> into tensor<1x36x64xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %col : tensor<16x36xf32>, tensor<1x36x64xf32>) outs(%init : tensor<1x16x64xf32>)
      attrs = {tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 8, 32, 0>,
               reduction = array<i64: 0, 0, 0, 12>, vector = array<i64: 1, 8, 32, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x16x64xf32>
  return %r : tensor<1x16x64xf32>
}

// -----

// A copy that reverses a dimension (the flipped filter of a ConvTranspose,
// read as the left-hand side) is not an im2col copy: a tile of its map is
// not the map of a tile, so it is never computed inside the cache tiles.
// CHECK-LABEL: func.func @reversed_copy
// CHECK:         %[[FLIP:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<16x4x3x3xf32>)
// CHECK:         tensor.collapse_shape %[[FLIP]]
// CHECK:         scf.forall
#flip = affine_map<(f, c, kh, kw) -> (f, c, -kh + 2, -kw + 2)>
#id4 = affine_map<(f, c, kh, kw) -> (f, c, kh, kw)>
#lhs = affine_map<(n, f, p, k) -> (f, k)>
#rhs = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @reversed_copy(%w: tensor<16x4x3x3xf32>, %col: tensor<1x36x64xf32>,
                         %init: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %e = tensor.empty() : tensor<16x4x3x3xf32>
  %flip = linalg.generic {indexing_maps = [#flip, #id4],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%w : tensor<16x4x3x3xf32>) outs(%e : tensor<16x4x3x3xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<16x4x3x3xf32>
  %wm = tensor.collapse_shape %flip [[0], [1, 2, 3]] : tensor<16x4x3x3xf32> into tensor<16x36xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%wm, %col : tensor<16x36xf32>, tensor<1x36x64xf32>) outs(%init : tensor<1x16x64xf32>)
      attrs = {tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 8, 32, 0>,
               reduction = array<i64: 0, 0, 0, 18>, vector = array<i64: 1, 8, 32, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x16x64xf32>
  return %r : tensor<1x16x64xf32>
}

// -----

// A contraction without parallel tiles whose init is a fill without a
// config: its register tiles start from the splat in registers, the fill is
// gone. A bias broadcast that carries its own config (an op the pass still
// tiles by itself) is left alone.
// CHECK-LABEL: func.func @init_in_registers
// CHECK-NOT:     linalg.fill
// CHECK:         %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// CHECK:         scf.for {{.*}} iter_args(%{{.+}} = %[[ZERO]]) -> (vector<8x32xf32>)
// CHECK-COUNT-8:   vector.fma {{.*}} : vector<32xf32>
// CHECK-LABEL: func.func @init_with_config
// CHECK:         scf.forall
// CHECK:         scf.for
// CHECK:           vector.transfer_read %{{.+}} : tensor<8x32xf32>, vector<8x32xf32>
func.func @init_in_registers(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>) -> tensor<8x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<8x64xf32>) -> tensor<8x64xf32>
  %mm = linalg.matmul {tessera.tile_config = {parallel = array<i64: 0, 0, 0>,
                       reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>)
      outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %mm : tensor<8x64xf32>
}

#brow = affine_map<(d0, d1) -> (d1)>
#bid = affine_map<(d0, d1) -> (d0, d1)>
func.func @init_with_config(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>,
                            %bias: tensor<64xf32>) -> tensor<8x64xf32> {
  %e = tensor.empty() : tensor<8x64xf32>
  %init = linalg.generic {indexing_maps = [#brow, #bid], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<8x64xf32>)
      attrs = {tessera.tile_config = {parallel = array<i64: 4, 0>,
               reduction = array<i64: 0, 0>, vector = array<i64: 0, 0>}} {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x64xf32>
  %mm = linalg.matmul {tessera.tile_config = {parallel = array<i64: 0, 0, 0>,
                       reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>)
      outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %mm : tensor<8x64xf32>
}

// -----

// A contraction whose cache tile runs the whole reduction computes its
// in-place epilogue (here bias + ReLU6) in its register tiles: each 8x32
// register tile starts from the bias row, runs the k loop, clamps the
// accumulator in registers and writes the output tile once. No pass over
// the parallel tile is left.
// CHECK-LABEL: func.func @epilogue_in_registers
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (16, 128) step (16, 64)
// CHECK:           scf.for {{.*}} -> (tensor<16x64xf32>)
// CHECK:             scf.for {{.*}} -> (tensor<16x64xf32>)
// CHECK:               vector.transfer_read {{.*}} : tensor<32xf32>, vector<32xf32>
// CHECK:               %[[SUM:.+]] = scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK-COUNT-8:         vector.fma {{.*}} : vector<32xf32>
// CHECK:               %[[LOW:.+]] = arith.maximumf %[[SUM]], %{{.+}} : vector<8x32xf32>
// CHECK:               %[[HIGH:.+]] = arith.minimumf %[[LOW]], %{{.+}} : vector<8x32xf32>
// CHECK-NOT:           vector.transfer_write
// CHECK:               vector.transfer_write %[[HIGH]]
// CHECK-NOT:           vector.transfer_write
// CHECK:               tensor.insert_slice
// CHECK-NOT:     linalg.generic
#erow = affine_map<(d0, d1) -> (d1)>
#eid = affine_map<(d0, d1) -> (d0, d1)>
func.func @epilogue_in_registers(%a: tensor<16x64xf32>, %b: tensor<64x128xf32>,
                                 %bias: tensor<128xf32>) -> tensor<16x128xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<16x128xf32>
  %init = linalg.generic {indexing_maps = [#erow, #eid], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<128xf32>) outs(%e : tensor<16x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<16x128xf32>
  %mm = linalg.matmul {tessera.tile_config = {parallel = array<i64: 16, 64, 0>,
                       reduction = array<i64: 0, 0, 0>, vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x128xf32>)
      outs(%init : tensor<16x128xf32>) -> tensor<16x128xf32>
  %relu6 = linalg.generic {indexing_maps = [#eid], iterator_types = ["parallel", "parallel"]}
      outs(%mm : tensor<16x128xf32>) {
  ^bb0(%out: f32):
    %low = arith.maximumf %out, %zero : f32
    %high = arith.minimumf %low, %six : f32
    linalg.yield %high : f32
  } -> tensor<16x128xf32>
  return %relu6 : tensor<16x128xf32>
}

// -----

// With a reduction cache level the epilogue must wait for the last
// reduction tile: it stays a pass over the parallel tile.
// CHECK-LABEL: func.func @epilogue_after_reduction_tiles
// CHECK:         scf.forall
// CHECK:           scf.for
// CHECK:             vector.fma
// CHECK:           linalg.generic
#fid = affine_map<(d0, d1) -> (d0, d1)>
func.func @epilogue_after_reduction_tiles(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>,
                                          %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %mm = linalg.matmul {tessera.tile_config = {parallel = array<i64: 8, 32, 0>,
                       reduction = array<i64: 0, 0, 16>, vector = array<i64: 8, 32, 1>}}
      ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>)
      outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  %relu = linalg.generic {indexing_maps = [#fid], iterator_types = ["parallel", "parallel"]}
      outs(%mm : tensor<16x64xf32>) {
  ^bb0(%out: f32):
    %r = arith.maximumf %out, %zero : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  return %relu : tensor<16x64xf32>
}

// -----

// The epilogue of a transposed product (tessera-transpose-narrow-
// contractions: outT[n, p, f], written back as out[n, f, p]) gets 16 x 16
// register tiles of its own after the product's: 16 contiguous rows of the
// product, a register transpose (shuffles, not 256 scalar moves) with the
// bias added and the ReLU applied, 16 contiguous rows of the output. The
// remainder column (49 = 3 x 16 + 1) is one vector read of the product
// written as a column. No scalar pass over the tile is left.
// CHECK-LABEL: func.func @transposing_epilogue
// CHECK:         scf.forall
// CHECK:           vector.fma
// CHECK:           scf.for {{.*}} -> (tensor<1x32x49xf32>)
// CHECK:             scf.for {{.*}} -> (tensor<1x32x49xf32>)
// CHECK:               vector.transfer_read {{.*}} : tensor<1x16x16xf32>, vector<1x16x16xf32>
// CHECK:               arith.addf {{.*}} : vector<1x16x16xf32>
// CHECK:               arith.maximumf {{.*}} : vector<1x16x16xf32>
// CHECK-COUNT-64:      vector.shuffle
// CHECK:               vector.transfer_write {{.*}} : vector<1x16x16xf32>, tensor<1x16x16xf32>
// CHECK:             vector.transfer_read {{.*}} : tensor<1x1x16xf32>, vector<1x1x16xf32>
// CHECK-NOT:     linalg.generic
#t_a = affine_map<(n, p, f, k) -> (n, k, p)>
#t_b = affine_map<(n, p, f, k) -> (k, f)>
#t_o = affine_map<(n, p, f, k) -> (n, p, f)>
#t_tr = affine_map<(n, f, p) -> (n, p, f)>
#t_bias = affine_map<(n, f, p) -> (f)>
#t_id = affine_map<(n, f, p) -> (n, f, p)>
func.func @transposing_epilogue(%col: tensor<1x64x49xf32>, %wt: tensor<64x64xf32>,
                                %bias: tensor<64xf32>) -> tensor<1x64x49xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x49x64xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e : tensor<1x49x64xf32>) -> tensor<1x49x64xf32>
  %prod = linalg.generic {indexing_maps = [#t_a, #t_b, #t_o],
                          iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%col, %wt : tensor<1x64x49xf32>, tensor<64x64xf32>) outs(%fill : tensor<1x49x64xf32>)
      attrs = {tessera.tile_config = {order = array<i64: 0, 2, 1, 3>, parallel = array<i64: 1, 49, 32, 0>,
               reduction = array<i64: 0, 0, 0, 0>, vector = array<i64: 1, 7, 32, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x49x64xf32>
  %eo = tensor.empty() : tensor<1x64x49xf32>
  %binit = linalg.generic {indexing_maps = [#t_bias, #t_id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%eo : tensor<1x64x49xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x49xf32>
  %out = linalg.generic {indexing_maps = [#t_tr, #t_id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%prod : tensor<1x49x64xf32>) outs(%binit : tensor<1x64x49xf32>) {
  ^bb0(%p: f32, %b: f32):
    %s = arith.addf %p, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x64x49xf32>
  return %out : tensor<1x64x49xf32>
}
