// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-copies-to-linalg))' | FileCheck %s

// A copy into a strided view (the interior of a padded buffer) becomes a
// linalg.copy, which lowers to loops instead of a memrefCopy call.
// CHECK-LABEL: func.func @strided
// CHECK-NOT:     memref.copy
// CHECK:         linalg.copy ins(%{{.+}} : memref<4x4xf32>) outs(%{{.+}} : memref<4x4xf32, strided<[6, 1], offset: 7>>)
func.func @strided(%src: memref<4x4xf32>, %dst: memref<6x6xf32>) {
  %sub = memref.subview %dst[1, 1] [4, 4] [1, 1] : memref<6x6xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  memref.copy %src, %sub : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  return
}

// -----

// Contiguous copies stay memref.copy (a memcpy).
// CHECK-LABEL: func.func @contiguous
// CHECK:         memref.copy
// CHECK-NOT:     linalg.copy
func.func @contiguous(%src: memref<4x4xf32>, %dst: memref<4x4xf32>) {
  memref.copy %src, %dst : memref<4x4xf32> to memref<4x4xf32>
  return
}
