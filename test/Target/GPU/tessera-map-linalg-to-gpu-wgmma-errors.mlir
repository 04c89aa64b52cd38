// RUN: tessera-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu))'

// wgmma kernels multiply 16-bit operands.
func.func @wrong_type(%a: memref<128x64xf32>, %b: memref<64x128xf32>, %c: memref<128x128xf32>) {
  // expected-error @+1 {{invalid tensor-core tile config: wgmma kernels need f16 or bf16 operands}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "wgmma", stages = 3 : i64}}
      ins(%a, %b : memref<128x64xf32>, memref<64x128xf32>) outs(%c : memref<128x128xf32>)
  return
}

// -----

// One or two warpgroups of 64 rows, 64 to 256 columns, BK 64.
func.func @wrong_block(%a: memref<256x64xf16>, %b: memref<64x128xf16>, %c: memref<256x128xf16>) {
  // expected-error @+1 {{invalid tensor-core tile config: wgmma blocks are 64 or 128 x 64, 128, 192 or 256 x 64}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 256, 128, 64>, mma = "wgmma", stages = 3 : i64}}
      ins(%a, %b : memref<256x64xf16>, memref<64x128xf16>) outs(%c : memref<256x128xf16>)
  return
}

// -----

// At most 227 KiB of shared memory.
func.func @too_many_stages(%a: memref<128x64xf16>, %b: memref<64x256xf16>, %c: memref<128x256xf16>) {
  // expected-error @+1 {{the staged tiles need 246784 bytes of shared memory (at most 232448)}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 256, 64>, mma = "wgmma", stages = 5 : i64}}
      ins(%a, %b : memref<128x64xf16>, memref<64x256xf16>) outs(%c : memref<128x256xf16>)
  return
}

// -----

// The copies are 16-byte pieces along each operand's contiguous dimension.
func.func @odd_k(%a: memref<128x70xf16>, %b: memref<70x128xf16>, %c: memref<128x128xf16>) {
  // expected-error @+1 {{invalid tensor-core tile config: mma = "wgmma": A must have static strides and offset that are multiples of 8 elements (16-byte copies)}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "wgmma", stages = 3 : i64}}
      ins(%a, %b : memref<128x70xf16>, memref<70x128xf16>) outs(%c : memref<128x128xf16>)
  return
}

// -----

// A wgmma batch in flight across the barrier holds a third stage.
func.func @overlap_stages(%a: memref<128x64xf16>, %b: memref<64x128xf16>, %c: memref<128x128xf16>) {
  // expected-error @+1 {{wgmma pipelines with wgmma_overlap have at least 3 cp.async stages}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "wgmma", stages = 2 : i64, wgmma_overlap = true}}
      ins(%a, %b : memref<128x64xf16>, memref<64x128xf16>) outs(%c : memref<128x128xf16>)
  return
}
