// RUN: tessera-opt %s --split-input-file --tessera-eliminate-concat-copies | FileCheck %s
// RUN: tessera-opt %s --split-input-file --tessera-eliminate-concat-copies \
// RUN:   --one-shot-bufferize=bufferize-function-boundaries --canonicalize --cse \
// RUN:   --canonicalize | FileCheck %s --check-prefix=BUF

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// A Concat of two [n, f, h*w] results viewed as [n, f, h, w]: each producer
// now writes into the collapsed slice of the destination it is inserted
// into. The second slice is taken from the first insert's result, which is
// moved above the second producer. After bufferization no copy is left.
// CHECK-LABEL: func.func @concat_through_expand
// CHECK:         %[[D:.+]] = tensor.empty() : tensor<1x8x2x3xf32>
// CHECK:         %[[S0:.+]] = tensor.extract_slice %[[D]][0, 0, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1]
// CHECK:         %[[M0:.+]] = tensor.collapse_shape %[[S0]] {{\[}}[0], [1], [2, 3]] : tensor<1x4x2x3xf32> into tensor<1x4x6xf32>
// CHECK:         %[[R0:.+]] = linalg.generic {{.*}} outs(%[[M0]] : tensor<1x4x6xf32>)
// CHECK:         %[[X0:.+]] = tensor.expand_shape %[[R0]]
// CHECK:         %[[C0:.+]] = tensor.insert_slice %[[X0]] into %[[D]][0, 0, 0, 0]
// CHECK:         %[[S1:.+]] = tensor.extract_slice %[[C0]][0, 4, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1]
// CHECK:         %[[M1:.+]] = tensor.collapse_shape %[[S1]]
// CHECK:         %[[R1:.+]] = linalg.generic {{.*}} outs(%[[M1]] : tensor<1x4x6xf32>)
// CHECK:         %[[X1:.+]] = tensor.expand_shape %[[R1]]
// CHECK:         tensor.insert_slice %[[X1]] into %[[C0]][0, 4, 0, 0]
// BUF-LABEL:   func.func @concat_through_expand
// BUF-NOT:       memref.copy
// BUF:           return
func.func @concat_through_expand(%a: tensor<1x4x6xf32>, %b: tensor<1x4x6xf32>) -> tensor<1x8x2x3xf32> {
  %e = tensor.empty() : tensor<1x4x6xf32>
  %ra = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<1x4x6xf32>) outs(%e : tensor<1x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x4x6xf32>
  %rb = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%b : tensor<1x4x6xf32>) outs(%e : tensor<1x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.addf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x4x6xf32>
  %xa = tensor.expand_shape %ra [[0], [1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<1x4x6xf32> into tensor<1x4x2x3xf32>
  %xb = tensor.expand_shape %rb [[0], [1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<1x4x6xf32> into tensor<1x4x2x3xf32>
  %d = tensor.empty() : tensor<1x8x2x3xf32>
  %c0 = tensor.insert_slice %xa into %d[0, 0, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1] : tensor<1x4x2x3xf32> into tensor<1x8x2x3xf32>
  %c1 = tensor.insert_slice %xb into %c0[0, 4, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1] : tensor<1x4x2x3xf32> into tensor<1x8x2x3xf32>
  return %c1 : tensor<1x8x2x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// The interior of a pad: the [2, 3] window of a [4, 5] plane is not
// contiguous, so a [h*w] producer cannot write it; the insert stays.
// CHECK-LABEL: func.func @pad_interior_not_contiguous
// CHECK:         linalg.generic {{.*}} outs(%{{.+}} : tensor<1x4x6xf32>)
// CHECK-NOT:     tensor.extract_slice
// CHECK:         tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 1, 1] [1, 4, 2, 3]
func.func @pad_interior_not_contiguous(%a: tensor<1x4x6xf32>) -> tensor<1x4x4x5xf32> {
  %e = tensor.empty() : tensor<1x4x6xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<1x4x6xf32>) outs(%e : tensor<1x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x4x6xf32>
  %x = tensor.expand_shape %r [[0], [1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<1x4x6xf32> into tensor<1x4x2x3xf32>
  %d = tensor.empty() : tensor<1x4x4x5xf32>
  %c = tensor.insert_slice %x into %d[0, 0, 1, 1] [1, 4, 2, 3] [1, 1, 1, 1] : tensor<1x4x2x3xf32> into tensor<1x4x4x5xf32>
  return %c : tensor<1x4x4x5xf32>
}

// -----

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// The producer's result is also returned: it must keep its own buffer.
// CHECK-LABEL: func.func @producer_with_other_use
// CHECK-NOT:     tensor.extract_slice
// CHECK:         tensor.insert_slice
func.func @producer_with_other_use(%a: tensor<1x4x6xf32>) -> (tensor<1x8x6xf32>, tensor<1x4x6xf32>) {
  %e = tensor.empty() : tensor<1x4x6xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<1x4x6xf32>) outs(%e : tensor<1x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x4x6xf32>
  %d = tensor.empty() : tensor<1x8x6xf32>
  %c = tensor.insert_slice %r into %d[0, 4, 0] [1, 4, 6] [1, 1, 1] : tensor<1x4x6xf32> into tensor<1x8x6xf32>
  return %c, %r : tensor<1x8x6xf32>, tensor<1x4x6xf32>
}

// -----

// A tiled producer (scf.forall) writes its tiles into the destination
// directly: its shared output becomes the collapsed slice; bufferization
// leaves only the tile copies inside the loop.
// CHECK-LABEL: func.func @forall_producer
// CHECK:         %[[D:.+]] = tensor.empty() : tensor<1x8x2x3xf32>
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[D]][0, 4, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1]
// CHECK:         %[[M:.+]] = tensor.collapse_shape %[[S]]
// CHECK:         scf.forall {{.*}} shared_outs(%{{.+}} = %[[M]])
// BUF-LABEL:   func.func @forall_producer
// BUF:           memref.alloc() {{.*}} : memref<1x8x2x3xf32>
// BUF-NOT:       memref.alloc
// BUF:           scf.forall
// BUF:             memref.copy
// BUF:           }
// BUF-NOT:       memref.copy
// BUF:           return
func.func @forall_producer(%a: tensor<1x4x6xf32>) -> tensor<1x8x2x3xf32> {
  %e = tensor.empty() : tensor<1x4x6xf32>
  %r = scf.forall (%i) in (4) shared_outs(%o = %e) -> (tensor<1x4x6xf32>) {
    %s = tensor.extract_slice %a[0, %i, 0] [1, 1, 6] [1, 1, 1] : tensor<1x4x6xf32> to tensor<1x1x6xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %o[0, %i, 0] [1, 1, 6] [1, 1, 1] : tensor<1x1x6xf32> into tensor<1x4x6xf32>
    }
  }
  %x = tensor.expand_shape %r [[0], [1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<1x4x6xf32> into tensor<1x4x2x3xf32>
  %d = tensor.empty() : tensor<1x8x2x3xf32>
  %c = tensor.insert_slice %x into %d[0, 4, 0, 0] [1, 4, 2, 3] [1, 1, 1, 1] : tensor<1x4x2x3xf32> into tensor<1x8x2x3xf32>
  return %c : tensor<1x8x2x3xf32>
}
