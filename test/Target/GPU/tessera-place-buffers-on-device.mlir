// RUN: tessera-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(tessera-place-buffers-on-device)' | FileCheck %s

// Inputs are copied in, outputs copied back, allocations and contiguous
// copies move to the device; a scalar read of an input stays on the host
// buffer.
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[N:.*]]: memref<1xi64>, %[[Y:.*]]: memref<4xf32>)
// CHECK-DAG:     %[[DX:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-DAG:     gpu.memcpy %[[DX]], %[[X]]
// CHECK-DAG:     %[[DY:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-NOT:     gpu.memcpy %[[DY]], %[[Y]]
// CHECK:         memref.load %[[N]][
// CHECK:         %[[T:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:         gpu.launch
// CHECK:           memref.load %[[DX]]
// CHECK:           memref.store %{{.*}}, %[[T]]
// CHECK:         gpu.memcpy %[[DY]], %[[T]]
// CHECK:         gpu.dealloc %[[T]]
// CHECK:         gpu.memcpy %[[Y]], %[[DY]]
// CHECK-DAG:     gpu.dealloc %[[DX]]
// CHECK-DAG:     gpu.dealloc %[[DY]]
// CHECK:         return
func.func @main(%x: memref<4xf32>, %n: memref<1xi64>, %y: memref<4xf32>)
    attributes {tessera.input_names = ["x", "n"]} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %count = memref.load %n[%c0] : memref<1xi64>
  %t = memref.alloc() : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %a = memref.load %x[%tx] : memref<4xf32>
    %s = arith.addf %a, %a : f32
    memref.store %s, %t[%tx] : memref<4xf32>
    gpu.terminator
  }
  memref.copy %t, %y : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}

// -----

// A constant global is not copied per run: at entry, before any copy, the
// runtime's cache returns its device copy (uploaded on the model's first
// run), viewed with the global's type; kernels use that, it is never
// freed here, and a host read of the constant stays on the host global.
memref.global "private" constant @w : memref<2x3xf32> = dense<1.0>

// CHECK:       func.func private @tessera_rt_gpu_constant(index, i64) -> memref<1xi8>
// CHECK-LABEL: func.func @constant
// CHECK-NEXT:    %[[W:.*]] = memref.get_global @w : memref<2x3xf32>
// CHECK-NEXT:    %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[W]]
// CHECK-NEXT:    %[[BYTES:.*]] = arith.constant 24 : i64
// CHECK-NEXT:    %[[RAW:.*]] = call @tessera_rt_gpu_constant(%[[P]], %[[BYTES]]) : (index, i64) -> memref<1xi8>
// CHECK-NEXT:    %[[ALL:.*]] = memref.reinterpret_cast %[[RAW]] to offset: [0], sizes: [24], strides: [1] : memref<1xi8> to memref<24xi8>
// CHECK:         %[[DW:.*]] = memref.view %[[ALL]][%{{.*}}][] : memref<24xi8> to memref<2x3xf32>
// CHECK:         gpu.alloc
// CHECK-NOT:     gpu.memcpy %{{.*}}, %[[W]]
// CHECK:         memref.load %[[W]][
// CHECK:         gpu.launch
// CHECK:           memref.load %[[DW]]
// CHECK-NOT:     gpu.dealloc %[[DW]]
// CHECK:         return
func.func @constant(%x: memref<2x3xf32>, %y: memref<2x3xf32>)
    attributes {tessera.input_names = ["x"]} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %w = memref.get_global @w : memref<2x3xf32>
  %first = memref.load %w[%c0, %c0] : memref<2x3xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c3, %sy = %c1, %sz = %c1) {
    %a = memref.load %x[%c0, %tx] : memref<2x3xf32>
    %b = memref.load %w[%c0, %tx] : memref<2x3xf32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %y[%c0, %tx] : memref<2x3xf32>
    gpu.terminator
  }
  return
}

// -----

// A global that is not constant may change between runs: it is copied in
// and freed per run, like an input.
memref.global "private" @state : memref<4xf32> = dense<0.0>

// CHECK-LABEL: func.func @mutable
// CHECK-NOT:     tessera_rt_gpu_constant
// CHECK:         %[[S:.*]] = memref.get_global @state
// CHECK:         %[[DS:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:         gpu.memcpy %[[DS]], %[[S]]
// CHECK:         gpu.launch
// CHECK:         gpu.dealloc %[[DS]]
func.func @mutable(%y: memref<4xf32>) attributes {tessera.input_names = []} {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %s = memref.get_global @state : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %v = memref.load %s[%tx] : memref<4xf32>
    memref.store %v, %y[%tx] : memref<4xf32>
    gpu.terminator
  }
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
