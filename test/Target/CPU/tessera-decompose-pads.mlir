// RUN: tessera-opt %s --split-input-file --tessera-decompose-pads | FileCheck %s

// A constant pad: fills of the four border slabs of a new tensor (an
// alloc_tensor, which CSE does not merge across pads), the column slabs
// spanning only the source's rows, then an insert_slice of the source at
// the low padding offsets.
// CHECK-LABEL: func.func @pad
// CHECK-SAME:    %[[SRC:[^:]+]]: tensor<1x8x4x4xf32>
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[T:.+]] = bufferization.alloc_tensor() : tensor<1x8x6x7xf32>
// CHECK:         %[[S0:.+]] = tensor.extract_slice %[[T]][0, 0, 0, 0] [1, 8, 1, 7] [1, 1, 1, 1]
// CHECK:         %[[F0:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[S0]] : tensor<1x8x1x7xf32>)
// CHECK:         %[[T0:.+]] = tensor.insert_slice %[[F0]] into %[[T]][0, 0, 0, 0] [1, 8, 1, 7] [1, 1, 1, 1]
// CHECK:         %[[T1:.+]] = tensor.insert_slice %{{.+}} into %[[T0]][0, 0, 5, 0] [1, 8, 1, 7] [1, 1, 1, 1]
// CHECK:         %[[T2:.+]] = tensor.insert_slice %{{.+}} into %[[T1]][0, 0, 1, 0] [1, 8, 4, 2] [1, 1, 1, 1]
// CHECK:         %[[T3:.+]] = tensor.insert_slice %{{.+}} into %[[T2]][0, 0, 1, 6] [1, 8, 4, 1] [1, 1, 1, 1]
// CHECK:         %[[R:.+]] = tensor.insert_slice %[[SRC]] into %[[T3]][0, 0, 1, 2] [1, 8, 4, 4] [1, 1, 1, 1]
// CHECK-NOT:     tensor.pad
// CHECK:         return %[[R]]
func.func @pad(%src: tensor<1x8x4x4xf32>) -> tensor<1x8x6x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %src low[0, 0, 1, 2] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x4x4xf32> to tensor<1x8x6x7xf32>
  return %p : tensor<1x8x6x7xf32>
}

// -----

// Left alone: a pad whose value depends on the position, a dynamic pad, and
// a pad inside a loop (tiled code).
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT:     linalg.fill
// CHECK-COUNT-3: tensor.pad
func.func @unchanged(%s: tensor<4x4xf32>, %dyn: tensor<?x4xf32>, %v: f32)
    -> (tensor<6x4xf32>, tensor<?x6xf32>, tensor<6x4xf32>) {
  %0 = tensor.pad %s low[1, 0] high[1, 0] {
  ^bb0(%i: index, %j: index):
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    tensor.yield %f : f32
  } : tensor<4x4xf32> to tensor<6x4xf32>
  %1 = tensor.pad %dyn low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %v : f32
  } : tensor<?x4xf32> to tensor<?x6xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %init = tensor.empty() : tensor<6x4xf32>
  %2 = scf.for %i = %c0 to %c1 step %c1 iter_args(%acc = %init) -> (tensor<6x4xf32>) {
    %p = tensor.pad %s low[1, 0] high[1, 0] {
    ^bb0(%a: index, %b: index):
      tensor.yield %v : f32
    } : tensor<4x4xf32> to tensor<6x4xf32>
    scf.yield %p : tensor<6x4xf32>
  }
  return %0, %1, %2 : tensor<6x4xf32>, tensor<?x6xf32>, tensor<6x4xf32>
}
