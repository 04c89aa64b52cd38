// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(thls-buffer-accumulators))' | FileCheck %s

// A matmul after thls-permute-loops (m, k, n): the row c[m, :] is loaded
// into a local array before the k loop, updated in the n loop, and written
// back after the k loop.
// CHECK-LABEL: func.func @matmul
// CHECK: affine.for %[[M:.+]] = 0 to 4 {
// CHECK-NEXT: %[[BUF:.+]] = memref.alloca() : memref<16xf32>
// CHECK-NEXT: affine.for %[[P:.+]] = 0 to 16 {
// CHECK-NEXT: %[[V:.+]] = affine.load %[[C:.+]][%[[M]], %[[P]]] : memref<4x16xf32>
// CHECK-NEXT: affine.store %[[V]], %[[BUF]][%[[P]]] : memref<16xf32>
// CHECK: affine.for %{{.+}} = 0 to 8 {
// CHECK-NEXT: affine.for %[[N:.+]] = 0 to 16 {
// CHECK: %[[ACC:.+]] = affine.load %[[BUF]][%[[N]]] : memref<16xf32>
// CHECK: %[[S:.+]] = arith.addf %[[ACC]]
// CHECK-NEXT: affine.store %[[S]], %[[BUF]][%[[N]]] : memref<16xf32>
// CHECK: affine.for %[[Q:.+]] = 0 to 16 {
// CHECK-NEXT: %[[W:.+]] = affine.load %[[BUF]][%[[Q]]] : memref<16xf32>
// CHECK-NEXT: affine.store %[[W]], %[[C]][%[[M]], %[[Q]]] : memref<4x16xf32>
func.func @matmul(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) attributes {thls.kernel} {
  affine.for %m = 0 to 4 {
    affine.for %k = 0 to 8 {
      affine.for %n = 0 to 16 {
        %x = affine.load %a[%m, %k] : memref<4x8xf32>
        %y = affine.load %b[%k, %n] : memref<8x16xf32>
        %acc = affine.load %c[%m, %n] : memref<4x16xf32>
        %p = arith.mulf %x, %y : f32
        %s = arith.addf %acc, %p : f32
        affine.store %s, %c[%m, %n] : memref<4x16xf32>
      }
    }
  }
  return
}

// -----

// An elementwise nest has no reduction: nothing to buffer.
// CHECK-LABEL: func.func @elementwise
// CHECK-NOT: memref.alloca
func.func @elementwise(%a: memref<4x16xf32>) attributes {thls.kernel} {
  affine.for %m = 0 to 4 {
    affine.for %n = 0 to 16 {
      %x = affine.load %a[%m, %n] : memref<4x16xf32>
      %y = arith.addf %x, %x : f32
      affine.store %y, %a[%m, %n] : memref<4x16xf32>
    }
  }
  return
}

// -----

// With the reduction innermost (not permuted), the element is the same
// for the whole innermost loop: left alone (the innermost loop must index
// the accumulator).
// CHECK-LABEL: func.func @reduction_innermost
// CHECK-NOT: memref.alloca
func.func @reduction_innermost(%a: memref<4x8xf32>, %c: memref<4xf32>) attributes {thls.kernel} {
  affine.for %m = 0 to 4 {
    affine.for %k = 0 to 8 {
      %x = affine.load %a[%m, %k] : memref<4x8xf32>
      %acc = affine.load %c[%m] : memref<4xf32>
      %s = arith.addf %acc, %x : f32
      affine.store %s, %c[%m] : memref<4xf32>
    }
  }
  return
}
