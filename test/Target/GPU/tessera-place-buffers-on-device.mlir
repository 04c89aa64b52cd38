// RUN: tessera-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(tessera-place-buffers-on-device))' | FileCheck %s

// Inputs and constants are copied in, outputs copied back, allocations and
// contiguous copies move to the device; a scalar read of an input stays on
// the host buffer.
memref.global "private" constant @w : memref<4xf32> = dense<1.0>

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[N:.*]]: memref<1xi64>, %[[Y:.*]]: memref<4xf32>)
// CHECK-DAG:     %[[DX:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-DAG:     gpu.memcpy %[[DX]], %[[X]]
// CHECK-DAG:     %[[DY:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-NOT:     gpu.memcpy %[[DY]], %[[Y]]
// CHECK:         %[[W:.*]] = memref.get_global @w
// CHECK:         %[[DW:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:         gpu.memcpy %[[DW]], %[[W]]
// CHECK:         memref.load %[[N]][
// CHECK:         %[[T:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:         gpu.launch
// CHECK:           memref.load %[[DX]]
// CHECK:           memref.load %[[DW]]
// CHECK:           memref.store %{{.*}}, %[[T]]
// CHECK:         gpu.memcpy %[[DY]], %[[T]]
// CHECK:         gpu.dealloc %[[T]]
// CHECK:         gpu.memcpy %[[Y]], %[[DY]]
// CHECK-DAG:     gpu.dealloc %[[DW]]
// CHECK-DAG:     gpu.dealloc %[[DX]]
// CHECK-DAG:     gpu.dealloc %[[DY]]
// CHECK:         return
func.func @main(%x: memref<4xf32>, %n: memref<1xi64>, %y: memref<4xf32>)
    attributes {tessera.input_names = ["x", "n"]} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %w = memref.get_global @w : memref<4xf32>
  %count = memref.load %n[%c0] : memref<1xi64>
  %t = memref.alloc() : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %a = memref.load %x[%tx] : memref<4xf32>
    %b = memref.load %w[%tx] : memref<4xf32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %t[%tx] : memref<4xf32>
    gpu.terminator
  }
  memref.copy %t, %y : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}

// -----

// The host cannot read what a kernel computed.
func.func @host_read(%x: memref<4xf32>, %y: memref<f32>)
    attributes {tessera.input_names = ["x"]} {
  %c0 = arith.constant 0 : index
  %t = memref.alloc() : memref<4xf32>
  // expected-error @+1 {{'memref.load' would access buffer contents on the host of a GPU program}}
  %v = memref.load %t[%c0] : memref<4xf32>
  memref.store %v, %y[] : memref<f32>
  return
}
