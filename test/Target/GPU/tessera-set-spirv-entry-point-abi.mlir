// RUN: tessera-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(gpu.module(tessera-set-spirv-entry-point-abi))' | FileCheck %s

// CHECK-LABEL: gpu.module @k
// CHECK:         gpu.func @kernel
// CHECK-SAME:      spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [64, 2, 1]>
module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @kernel(%a: memref<4xf32>) kernel attributes {known_block_size = array<i32: 64, 2, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    // expected-error @+1 {{kernel has no known block size}}
    gpu.func @kernel(%a: memref<4xf32>) kernel {
      gpu.return
    }
  }
}
