// RUN: tessera-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu))'

// A tensor-core config asks for types the instruction has.
func.func @wrong_type(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  // expected-error @+1 {{invalid tensor-core tile config: m16n8k16 tensor cores need f16 or bf16 operands}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// Warp tiles must be whole 16 x 8 mma tiles.
func.func @uneven_warps(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf16>) {
  // expected-error @+1 {{invalid tensor-core tile config: the block tile must be whole 16 x 8 x 16 mma tiles per warp}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 8, 2>}}
      ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf16>)
  return
}

// -----

// Workgroup memory is bounded (99 KiB of dynamic shared memory, what every
// GPU of compute capability 8.x and 9.x gives a block).
func.func @too_much_shared(%a: memref<512x64xf16>, %b: memref<64x512xf16>, %c: memref<512x512xf16>) {
  // expected-error @+1 {{the staged tiles need 147456 bytes of workgroup memory (at most 101376)}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 256, 256, 64>, mma = "m16n8k16", stages = 2 : i64, warps = array<i64: 2, 4>}}
      ins(%a, %b : memref<512x64xf16>, memref<64x512xf16>) outs(%c : memref<512x512xf16>)
  return
}

// -----

// Register staging has one or two stages; cp.async pipelines 2 to 4.
func.func @too_many_stages(%a: memref<128x64xf16>, %b: memref<64x128xf16>, %c: memref<128x128xf16>) {
  // expected-error @+1 {{stages must be 1 or 2 (more need copy = "async")}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", stages = 3 : i64, warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<128x64xf16>, memref<64x128xf16>) outs(%c : memref<128x128xf16>)
  return
}

// -----

func.func @too_many_async_stages(%a: memref<128x64xf16>, %b: memref<64x128xf16>, %c: memref<128x128xf16>) {
  // expected-error @+1 {{cp.async pipelines have 2 to 4 stages}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, copy = "async", mma = "m16n8k16", stages = 5 : i64, warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<128x64xf16>, memref<64x128xf16>) outs(%c : memref<128x128xf16>)
  return
}

// -----

// Two B fragments per ldmatrix.x4 need 16-bit operands (not TF32) and an even
// number of B fragments per warp (here 64 / 4 warps / 8 = 2 is even, but
// the operands are f32).
func.func @wide_b_loads_tf32(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  // expected-error @+1 {{ldmatrix_b_tiles = 4 needs 16-bit operands and an even number of B fragments per warp}}
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 16>, ldmatrix_b_tiles = 4 : i64, mma = "m16n8k8.tf32", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// Only matrix products have a tensor-core kernel.
func.func @not_a_product(%a: memref<64x64xf16>, %c: memref<64x64xf16>) {
  // expected-error @+1 {{tensor-core kernels compute matrix products}}
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      {tessera.gpu_tile_config = {mma = "m16n8k16"}}
      ins(%a : memref<64x64xf16>) outs(%c : memref<64x64xf16>) {
  ^bb0(%x: f16, %y: f16):
    %s = arith.addf %x, %y : f16
    linalg.yield %s : f16
  }
  return
}
