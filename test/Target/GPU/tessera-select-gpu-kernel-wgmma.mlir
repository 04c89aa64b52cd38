// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{mma=wgmma block=128,256,64 stages=4 cuda-archs=sm_90a}))' | FileCheck %s
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{mma=wgmma cuda-archs=sm_90a}))' | FileCheck %s --check-prefix=DEFAULT
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{cuda-archs=sm_90a}))' | FileCheck %s --check-prefix=DEFAULT
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{cuda-archs=sm_90a block=128,128,32 warps=2,2}))' | FileCheck %s --check-prefix=MMA-SYNC
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{cuda-archs=sm_80,sm_90}))' | FileCheck %s --check-prefix=MMA-SYNC
// RUN: not tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{mma=wgmma cuda-archs=sm_80,sm_90}))' 2>&1 | FileCheck %s --check-prefix=ARCH
// RUN: not tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{mma=m16n8k16}))' 2>&1 | FileCheck %s --check-prefix=BAD-MMA
// BAD-MMA: error: tessera-select-gpu-kernel: mma takes 'wgmma' (or nothing)

// mma=wgmma gives every product the wgmma kernel can compute its config
// (block and stages from the options, else 128 x 128 x 64 in 3 stages);
// so does an sm_90a-only compilation without tile options (DEFAULT), while
// mma.sync tile options or other architectures keep mma.sync (MMA-SYNC).
// CHECK-LABEL: func.func @f16
// CHECK:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 256, 64>, mma = "wgmma", stages = 4 : i64}}
// DEFAULT-LABEL: func.func @f16
// DEFAULT:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "wgmma", stages = 3 : i64}}
// MMA-SYNC-LABEL: func.func @f16
// MMA-SYNC:         linalg.matmul {tessera.gpu_tile_config = {{{.*}}mma = "m16n8k16"
// wgmma only on sm_90a: an error on the op otherwise.
// ARCH: error: wgmma tensor-core kernels (mma = "wgmma") run only on sm_90a: compile with --cuda-arch=sm_90a (this compilation is for sm_80,sm_90)
func.func @f16(%a: memref<256x512xf16>, %b: memref<512x384xf16>, %c: memref<256x384xf16>) {
  linalg.matmul ins(%a, %b : memref<256x512xf16>, memref<512x384xf16>) outs(%c : memref<256x384xf16>)
  return
}

// -----

// A product whose rows are no multiple of 16 bytes keeps its mma.sync
// tiling.
// CHECK-LABEL: func.func @odd_k
// CHECK:         linalg.matmul {tessera.gpu_tile_config = {{{.*}}mma = "m16n8k16"
func.func @odd_k(%a: memref<256x70xf16>, %b: memref<70x384xf16>, %c: memref<256x384xf16>) {
  linalg.matmul ins(%a, %b : memref<256x70xf16>, memref<70x384xf16>) outs(%c : memref<256x384xf16>)
  return
}
