// REQUIRES: ptxas
// RUN: tessera-opt %s --pass-pipeline='builtin.module(tessera-bundle-cuda-objects)' | FileCheck %s

// The PTX of two architectures becomes one fatbin object (the default
// format, printed without a keyword; magic 0xBA55ED50 little endian) with a
// cubin for each, which the CUDA driver loads on either.
// CHECK:      gpu.binary @k [#gpu.object<#nvvm.target<chip = "sm_80">, "P\EDU\BA
// CHECK-SAME: -arch sm_80
// CHECK-SAME: -arch sm_90
// CHECK-NOT:  assembly
module attributes {gpu.container_module} {
  gpu.binary @k [
    #gpu.object<#nvvm.target<chip = "sm_80">, assembly = "//\0A.version 8.0\0A.target sm_80\0A.address_size 64\0A.visible .entry kernel()\0A{\0A\09ret;\0A}\0A">,
    #gpu.object<#nvvm.target<chip = "sm_90">, assembly = "//\0A.version 8.0\0A.target sm_90\0A.address_size 64\0A.visible .entry kernel()\0A{\0A\09ret;\0A}\0A">
  ]
}
