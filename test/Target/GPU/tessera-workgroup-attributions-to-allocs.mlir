// RUN: tessera-opt %s --pass-pipeline='builtin.module(gpu.module(tessera-workgroup-attributions-to-allocs))' | FileCheck %s

// CHECK-LABEL: gpu.func @kernel
// CHECK-SAME:    (%[[X:.*]]: memref<64xf32>) kernel
// CHECK-NEXT:    %[[TILE:.*]] = memref.alloc() : memref<64xf32, 3>
// CHECK:         memref.store %{{.*}}, %[[TILE]]
// CHECK-NOT:     workgroup(
module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @kernel(%x: memref<64xf32>) workgroup(%tile : memref<64xf32, 3>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %x[%c0] : memref<64xf32>
      memref.store %v, %tile[%c0] : memref<64xf32, 3>
      gpu.return
    }
  }
}
