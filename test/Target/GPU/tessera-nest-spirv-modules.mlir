// RUN: tessera-opt %s --pass-pipeline='builtin.module(tessera-nest-spirv-modules)' | FileCheck %s

// CHECK:     gpu.module @k
// CHECK-NEXT:  spirv.module @__spv__k Logical GLSL450
// CHECK:       gpu.func @kernel
// CHECK-NOT: spirv.module
module attributes {gpu.container_module} {
  spirv.module @__spv__k Logical GLSL450 requires #spirv.vce<v1.0, [Shader], []> {
  }
  gpu.module @k {
    gpu.func @kernel() kernel {
      gpu.return
    }
  }
}
