// RUN: tessera-opt %s --pass-pipeline='builtin.module(gpu.module(tessera-align-workgroup-memory))' | FileCheck %s

// Every workgroup attribution gets an llvm.align of at least 16 bytes; a
// larger one stays.
// CHECK-LABEL: gpu.func @kernel
// CHECK-SAME:    workgroup(%{{.*}} : memref<128x40xf16, 3> {llvm.align = 16 : i64}, %{{.*}} : memref<64xf32, 3> {llvm.align = 64 : i64})
gpu.module @kernels {
  gpu.func @kernel() workgroup(%a : memref<128x40xf16, 3>, %b : memref<64xf32, 3> {llvm.align = 64 : i64}) kernel {
    gpu.return
  }
}
