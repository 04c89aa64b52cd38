// RUN: tessera-opt %s --split-input-file --tessera-parallelize-copies | FileCheck %s
// RUN: tessera-opt %s --split-input-file --tessera-parallelize-copies=min-elements=200000 | FileCheck %s --check-prefix=BIG

// A Concat's copy into its half of the destination: 64 channels in 8 pieces
// of 8, each a copy between subviews.
// CHECK-LABEL: func.func @concat_half
// CHECK-SAME:    %[[SRC:[^:]+]]: memref<1x64x55x55xf32>, %[[DST:[^:]+]]: memref<1x128x55x55xf32>
// CHECK:         %[[HALF:.+]] = memref.subview %[[DST]][0, 64, 0, 0]
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG:     %[[C8:.+]] = arith.constant 8 : index
// CHECK:         scf.parallel (%[[I:.+]]) = (%[[C0]]) to (%[[C64]]) step (%[[C8]]) {
// CHECK:           %[[S:.+]] = memref.subview %[[SRC]][0, %[[I]], 0, 0] [1, 8, 55, 55] [1, 1, 1, 1]
// CHECK:           %[[D:.+]] = memref.subview %[[HALF]][0, %[[I]], 0, 0] [1, 8, 55, 55] [1, 1, 1, 1]
// CHECK:           memref.copy %[[S]], %[[D]]
// CHECK-NOT:     memref.copy
// CHECK:         return
// BIG-LABEL:   func.func @concat_half
// BIG-NOT:       scf.parallel
func.func @concat_half(%src: memref<1x64x55x55xf32>, %dst: memref<1x128x55x55xf32>) {
  %half = memref.subview %dst[0, 64, 0, 0] [1, 64, 55, 55] [1, 1, 1, 1]
      : memref<1x128x55x55xf32> to memref<1x64x55x55xf32, strided<[387200, 3025, 55, 1], offset: 193600>>
  memref.copy %src, %half : memref<1x64x55x55xf32> to memref<1x64x55x55xf32, strided<[387200, 3025, 55, 1], offset: 193600>>
  return
}

// -----

// An extent without a divisor that gives 8 pieces (13) is split into pieces
// of one; small copies, dynamic shapes and copies in loops are left alone.
// CHECK-LABEL: func.func @odd_and_unchanged
// CHECK:         scf.parallel (%{{.+}}) = (%{{.+}}) to (%{{.+}}) step (%{{.+}}) {
// CHECK:           memref.subview %{{.+}}[%{{.+}}, 0] [1, 4096] [1, 1]
// CHECK:           memref.copy
// CHECK:         }
// CHECK:         memref.copy %{{.+}}, %{{.+}} : memref<16xf32> to memref<16xf32>
// CHECK:         memref.copy %{{.+}}, %{{.+}} : memref<?xf32> to memref<?xf32>
// CHECK:         scf.for
// CHECK-NEXT:      memref.copy %{{.+}}, %{{.+}} : memref<13x4096xf32> to memref<13x4096xf32>
func.func @odd_and_unchanged(%a: memref<13x4096xf32>, %b: memref<13x4096xf32>,
                             %s: memref<16xf32>, %t: memref<16xf32>,
                             %d: memref<?xf32>, %e: memref<?xf32>) {
  memref.copy %a, %b : memref<13x4096xf32> to memref<13x4096xf32>
  memref.copy %s, %t : memref<16xf32> to memref<16xf32>
  memref.copy %d, %e : memref<?xf32> to memref<?xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c1 step %c1 {
    memref.copy %a, %b : memref<13x4096xf32> to memref<13x4096xf32>
  }
  return
}

// -----

// A copy of a subview onto the identical subview (an in-place slice that
// bufferization copied onto itself) is erased; another window is kept.
// CHECK-LABEL: func.func @self_copy
// CHECK-NOT:     memref.copy %{{.+}}, %{{.+}} : memref<1x8xf32, strided<[16, 1]>> to memref<1x8xf32, strided<[16, 1]>>
// CHECK:         memref.copy %{{.+}}, %{{.+}} : memref<1x8xf32, strided<[16, 1]>> to memref<1x8xf32, strided<[16, 1], offset: 8>>
// CHECK-NOT:     memref.copy
func.func @self_copy(%m: memref<2x16xf32>) {
  %a = memref.subview %m[0, 0] [1, 8] [1, 1] : memref<2x16xf32> to memref<1x8xf32, strided<[16, 1]>>
  %b = memref.subview %m[0, 0] [1, 8] [1, 1] : memref<2x16xf32> to memref<1x8xf32, strided<[16, 1]>>
  %c = memref.subview %m[0, 8] [1, 8] [1, 1] : memref<2x16xf32> to memref<1x8xf32, strided<[16, 1], offset: 8>>
  memref.copy %a, %b : memref<1x8xf32, strided<[16, 1]>> to memref<1x8xf32, strided<[16, 1]>>
  memref.copy %a, %c : memref<1x8xf32, strided<[16, 1]>> to memref<1x8xf32, strided<[16, 1], offset: 8>>
  return
}
