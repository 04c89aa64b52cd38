// RUN: tessera-opt %s --pass-pipeline='builtin.module(gpu.module(tessera-approximate-erf))' | FileCheck %s

// erf (GELU) has no SPIR-V instruction: it becomes a polynomial of
// arithmetic (fma: GLSL Fma) that SPIR-V has.
// CHECK-LABEL: gpu.func @gelu
// CHECK-NOT:     math.erf
// CHECK:         math.fma %{{.*}} : f32
// CHECK:         gpu.return
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @gelu(%x: f32, %out: memref<1xf32>) kernel {
      %c0 = arith.constant 0 : index
      %e = math.erf %x : f32
      memref.store %e, %out[%c0] : memref<1xf32>
      gpu.return
    }
  }
}
