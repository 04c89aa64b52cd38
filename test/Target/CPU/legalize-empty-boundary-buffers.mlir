// Zero-element arguments become memref<1xT> plus a reinterpret_cast back,
// which the bare-pointer calling convention accepts; and a model with
// zero-element inputs and outputs compiles and runs end to end.

// RUN: tessera-opt %s --split-input-file --tessera-legalize-empty-boundary-buffers | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[IN:.+]]: memref<1xf32>, %[[OUT:.+]]: memref<1xf32>, %[[FULL:.+]]: memref<2xf32>)
// CHECK: %[[CAST:.+]] = memref.reinterpret_cast %[[IN]] to offset: [0], sizes: [0, 3], strides: [3, 1] : memref<1xf32> to memref<0x3xf32>
// CHECK: memref.copy %[[CAST]], %[[CAST]]
// CHECK-NOT: memref.reinterpret_cast
func.func @main(%in: memref<0x3xf32>, %out: memref<3x0xf32>, %full: memref<2xf32>) {
  memref.copy %in, %in : memref<0x3xf32> to memref<0x3xf32>
  return
}

// -----

// Private functions keep their types (only the artifact's entry is called
// with bare pointers).
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: memref<0xf32>
func.func private @helper(%in: memref<0xf32>) {
  return
}
