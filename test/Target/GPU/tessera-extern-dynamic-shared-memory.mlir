// RUN: tessera-opt %s --pass-pipeline='builtin.module(gpu.module(tessera-extern-dynamic-shared-memory))' | FileCheck %s

// The zero-sized shared array of gpu.dynamic_shared_memory becomes extern;
// sized shared arrays, other address spaces and initialized globals stay.
gpu.module @kernels {
  // CHECK: llvm.mlir.global external @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
  llvm.mlir.global internal @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
  // CHECK: llvm.mlir.global internal @tile() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<64 x i8>
  llvm.mlir.global internal @tile() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<64 x i8>
  // CHECK: llvm.mlir.global internal @generic() {addr_space = 0 : i32} : !llvm.array<0 x i8>
  llvm.mlir.global internal @generic() {addr_space = 0 : i32} : !llvm.array<0 x i8>
}

