// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel))' | FileCheck %s
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{allow-tf32=true}))' | FileCheck %s --check-prefix=TF32
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{block=128,256,32 warps=2,4 stages=3 async-copy=true}))' | FileCheck %s --check-prefix=OVERRIDE
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{block=64,64,32 warps=2,2}))' | FileCheck %s --check-prefix=WHOLE
// RUN: not tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-select-gpu-kernel{block=64,64}))' 2>&1 | FileCheck %s --check-prefix=BAD-BLOCK
// BAD-BLOCK: error: tessera-select-gpu-kernel: block takes BM,BN,BK and warps WM,WN

// The options replace the chosen tiles of every product (OVERRIDE).
// OVERRIDE-LABEL: func.func @f16_large
// OVERRIDE:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 256, 32>, copy = "async", mma = "m16n8k16", stages = 3 : i64, warps = array<i64: 2, 4>}}
// OVERRIDE-LABEL: func.func @bf16_small
// OVERRIDE:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 256, 32>, copy = "async", mma = "m16n8k16", stages = 3 : i64, warps = array<i64: 2, 4>}}
// With `block`, the options are a whole tiling: one stage, register copies,
// even where the chosen one was four cp.async stages (WHOLE).
// WHOLE-LABEL: func.func @bf16_small
// WHOLE:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 2, 2>}}

// A large f16 product (at least 128 blocks of 128 x 128): 128 x 128 x 64
// blocks of 2 x 2 warps in two stages,
// m16n8k16.
// CHECK-LABEL: func.func @f16_large
// CHECK:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "m16n8k16", stages = 2 : i64, warps = array<i64: 2, 2>}}
func.func @f16_large(%a: memref<4096x4096xf16>, %b: memref<4096x4096xf16>, %c: memref<4096x4096xf16>) {
  linalg.matmul ins(%a, %b : memref<4096x4096xf16>, memref<4096x4096xf16>) outs(%c : memref<4096x4096xf16>)
  return
}

// -----

// A small bf16 product (fewer than 128 blocks of 128 x 128): 64 x 64 blocks
// of 2 x 2 warps, four stages copied with cp.async (@bf16_small_aligned);
// rows of 70 elements are no whole 16-byte pieces, so this one takes two
// register stages instead.
// CHECK-LABEL: func.func @bf16_small
// CHECK:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", stages = 2 : i64, warps = array<i64: 2, 2>}}
func.func @bf16_small(%a: memref<100x70xbf16>, %b: memref<70x50xbf16>, %c: memref<100x50xbf16>) {
  linalg.matmul ins(%a, %b : memref<100x70xbf16>, memref<70x50xbf16>) outs(%c : memref<100x50xbf16>)
  return
}

// -----

// CHECK-LABEL: func.func @bf16_small_aligned
// CHECK:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, copy = "async", mma = "m16n8k16", stages = 4 : i64, warps = array<i64: 2, 2>}}
func.func @bf16_small_aligned(%a: memref<1000x1000xbf16>, %b: memref<1000x1000xbf16>, %c: memref<1000x1000xbf16>) {
  linalg.matmul ins(%a, %b : memref<1000x1000xbf16>, memref<1000x1000xbf16>) outs(%c : memref<1000x1000xbf16>)
  return
}

// -----

// f32 products keep the f32 kernel unless TF32 is allowed.
// CHECK-LABEL: func.func @f32
// CHECK-NOT:     tessera.gpu_tile_config
// TF32-LABEL:  func.func @f32
// TF32:          linalg.batch_matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 32>, copy = "async", mma = "m16n8k8.tf32", stages = 2 : i64, warps = array<i64: 2, 2>}}
func.func @f32(%a: memref<8x1024x512xf32>, %b: memref<8x512x1024xf32>, %c: memref<8x1024x1024xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<8x1024x512xf32>, memref<8x512x1024xf32>) outs(%c : memref<8x1024x1024xf32>)
  return
}

// -----

// A convolution in im2col form (the image loop is not W's) with TF32.
// CHECK-LABEL: func.func @conv_im2col
// CHECK-NOT:     tessera.gpu_tile_config
// TF32-LABEL:  func.func @conv_im2col
// TF32:          linalg.generic {{.*}}tessera.gpu_tile_config = {block = array<i64: 64, 64, 16>, copy = "async", mma = "m16n8k8.tf32", stages = 3 : i64, warps = array<i64: 2, 2>}
func.func @conv_im2col(%w: memref<64x576xf32>, %x: memref<1x576x3136xf32>, %c: memref<1x64x3136xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, f, p, k) -> (f, k)>,
                                   affine_map<(i, f, p, k) -> (i, k, p)>,
                                   affine_map<(i, f, p, k) -> (i, f, p)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<64x576xf32>, memref<1x576x3136xf32>) outs(%c : memref<1x64x3136xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A config written by hand wins; other ops (elementwise, mixed types) keep
// theirs.
// CHECK-LABEL: func.func @untouched
// CHECK:         linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 32, 32, 8>, thread = array<i64: 4, 4>}}
// CHECK:         linalg.generic
// CHECK-NOT:       tessera.gpu_tile_config
func.func @untouched(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 32, 32, 8>, thread = array<i64: 4, 4>}}
      ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf16>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<64x64xf16>) outs(%c : memref<64x64xf16>) {
  ^bb0(%x: f16, %y: f16):
    %s = arith.addf %x, %y : f16
    linalg.yield %s : f16
  }
  return
}
