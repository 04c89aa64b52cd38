// RUN: tessera-opt %s --pass-pipeline='builtin.module(gpu.module(tessera-demote-f64-math))' | FileCheck %s

// f64 math functions are computed in f32; f64 arithmetic and f32 math stay.
// CHECK-LABEL: gpu.func @k
// CHECK:         %[[T:.*]] = arith.truncf %{{.*}} : f64 to f32
// CHECK-NEXT:    %[[E:.*]] = math.exp %[[T]] : f32
// CHECK-NEXT:    %[[W:.*]] = arith.extf %[[E]] : f32 to f64
// CHECK-NEXT:    arith.addf %[[W]], %{{.*}} : f64
// CHECK-NEXT:    math.log %{{.*}} : f32
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%x: f64, %y: f32) kernel {
      %e = math.exp %x : f64
      %s = arith.addf %e, %x : f64
      %l = math.log %y : f32
      gpu.return
    }
  }
}
