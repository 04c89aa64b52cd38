// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu))' | FileCheck %s

// An f16 product with an mma tile config: blocks of 128 x 128 (grid 3 x 2
// for 256 x 384) with 8 warps; A and B tiles in workgroup memory in the
// operands' layouts (A k-minor, B n-minor, rows padded by 16 bytes), copied
// with 16-byte loads and stores that run one tile ahead (loop-carried);
// 4 x 4 accumulators of 16 x 8 per warp carried through the reduction loop;
// fragments read with ldmatrix (transposed for B), two m16n8k16 steps per
// 32-wide tile; f32 accumulators loaded from C and stored back rounded to
// f16 two neighbouring columns at a time. Whole tiles: no bounds checks.
// CHECK-LABEL: func.func @f16
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C256:.*]] = arith.constant 256 : index
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[C3]], {{.*}} = %[[C2]], {{.*}} = %[[C1]]) threads({{.*}}) in ({{.*}} = %[[C256]], {{.*}} = %[[C1]], {{.*}} = %[[C1]])
// CHECK-SAME:      workgroup(%[[AT:.*]] : memref<128x40xf16, 3>, %[[BT:.*]] : memref<32x136xf16, 3>)
// CHECK:          vector.load %{{.*}} {alignment = 4 : i64} : memref<256x384xf16>, vector<2xf16>
// CHECK-COUNT-32:  arith.extf %{{.*}} : vector<2xf16> to vector<2xf32>
// CHECK-COUNT-2:   vector.load %{{.*}} : memref<256x512xf16>, vector<8xf16>
// CHECK-COUNT-2:   vector.load %{{.*}} : memref<512x384xf16>, vector<8xf16>
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<2x2xf32>, {{.*}}, vector<8xf16>) {
// CHECK-COUNT-2:     vector.store %{{.*}}, %[[AT]][%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<128x40xf16, 3>, vector<8xf16>
// CHECK-COUNT-2:     vector.store %{{.*}}, %[[BT]][%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<32x136xf16, 3>, vector<8xf16>
// CHECK:             gpu.barrier
// CHECK-COUNT-2:     vector.load %{{.*}} : memref<256x512xf16>, vector<8xf16>
// CHECK:             nvgpu.ldmatrix %[[AT]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<128x40xf16, 3> -> vector<4x2xf16>
// CHECK:             nvgpu.ldmatrix %[[BT]][%{{.*}}, %{{.*}}] {numTiles = 2 : i32, transpose = true} : memref<32x136xf16, 3> -> vector<2x2xf16>
// CHECK-COUNT-32:    nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK:             gpu.barrier
// CHECK:             scf.yield
// CHECK-NOT:       scf.if
// CHECK-COUNT-32:  arith.truncf %{{.*}} : vector<2xf32> to vector<2xf16>
// CHECK:           vector.store %{{.*}} {alignment = 4 : i64} : memref<256x384xf16>, vector<2xf16>
// CHECK-NOT:     linalg.matmul
func.func @f16(%a: memref<256x512xf16>, %b: memref<512x384xf16>, %c: memref<256x384xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 32>, mma = "m16n8k16", warps = array<i64: 2, 4>}}
      ins(%a, %b : memref<256x512xf16>, memref<512x384xf16>) outs(%c : memref<256x384xf16>)
  return
}

// -----

// bf16 goes to nvvm.mma.sync (nvgpu's lowering has no bf16), its operands
// packed into 32-bit registers; partial tiles check bounds.
// CHECK-LABEL: func.func @bf16
// CHECK:         gpu.launch
// CHECK-SAME:      workgroup(%{{.*}} : memref<64x40xbf16, 3>, %{{.*}} : memref<32x72xbf16, 3>)
// CHECK:           scf.for
// CHECK:             vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK:             nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>}
// CHECK:           scf.if
// CHECK:             arith.truncf %{{.*}} : vector<2xf32> to vector<2xbf16>
func.func @bf16(%a: memref<100x70xbf16>, %b: memref<70x50xbf16>, %c: memref<100x50xbf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<100x70xbf16>, memref<70x50xbf16>) outs(%c : memref<100x50xbf16>)
  return
}

// -----

// f32 operands with the TF32 config: m16n8k8 steps with tf32Enabled, one
// 32-bit value per register, rounded to nearest TF32 (cvt.rna) as it is
// read, no conversion at the store; a batch loop is the grid's z (4). B is
// read as (n, k) (a Gemm with transB).
// CHECK-LABEL: func.func @tf32
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}}, {{.*}}, {{.*}} = %[[C4]])
// CHECK-SAME:      workgroup(%{{.*}} : memref<64x20xf32, 3>, %{{.*}} : memref<64x20xf32, 3>)
// CHECK:           %[[X:.*]] = memref.load %{{.*}} : memref<64x20xf32, 3>
// CHECK-NEXT:      %[[BITS:.*]] = nvvm.convert.float.to.tf32 %[[X]] {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK-NEXT:      arith.bitcast %[[BITS]] : i32 to f32
// CHECK:           nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled} : (vector<4x1xf32>, vector<2x1xf32>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK-NOT:       arith.truncf
func.func @tf32(%a: memref<4x64x32xf32>, %b: memref<4x64x32xf32>, %c: memref<4x64x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                                   affine_map<(b, m, n, k) -> (b, n, k)>,
                                   affine_map<(b, m, n, k) -> (b, m, n)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      {tessera.gpu_tile_config = {block = array<i64: 64, 64, 16>, mma = "m16n8k8.tf32", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<4x64x32xf32>, memref<4x64x32xf32>) outs(%c : memref<4x64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A transposed in memory (m-minor) and B k-minor: the A tile is k-major
// and read with transposing ldmatrix, the B tile n-major and read as is.
// CHECK-LABEL: func.func @transposed
// CHECK:         gpu.launch
// CHECK-SAME:      workgroup(%[[AT:.*]] : memref<32x72xf16, 3>, %[[BT:.*]] : memref<64x40xf16, 3>)
// CHECK:           nvgpu.ldmatrix %[[AT]]{{.*}} {numTiles = 4 : i32, transpose = true}
// CHECK:           nvgpu.ldmatrix %[[BT]]{{.*}} {numTiles = 2 : i32, transpose = false}
func.func @transposed(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf16>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                   affine_map<(m, n, k) -> (n, k)>,
                                   affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf16>) {
  ^bb0(%x: f16, %y: f16, %acc: f16):
    %p = arith.mulf %x, %y : f16
    %s = arith.addf %acc, %p : f16
    linalg.yield %s : f16
  }
  return
}

// -----

// A convolution in im2col form, C[i, f, p] += W[f, k] * X[i, k, p]: the
// image loop, which W does not index, is the grid's z (2 images); p, the
// contiguous dimension of X and C, is the product's n (1024 / 64 = 16
// blocks along x).
// CHECK-LABEL: func.func @conv_im2col
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[C16]], {{.*}} = %[[C1]], {{.*}} = %[[C2]])
// CHECK-SAME:      workgroup(%{{.*}} : memref<64x40xf16, 3>, %{{.*}} : memref<32x72xf16, 3>)
// CHECK:           nvgpu.mma.sync
func.func @conv_im2col(%w: memref<16x27xf16>, %x: memref<2x27x1024xf16>, %c: memref<2x16x1024xf16>) {
  linalg.generic {indexing_maps = [affine_map<(i, f, p, k) -> (f, k)>,
                                   affine_map<(i, f, p, k) -> (i, k, p)>,
                                   affine_map<(i, f, p, k) -> (i, f, p)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 2, 2>}}
      ins(%w, %x : memref<16x27xf16>, memref<2x27x1024xf16>) outs(%c : memref<2x16x1024xf16>) {
  ^bb0(%a: f16, %b: f16, %acc: f16):
    %p = arith.mulf %a, %b : f16
    %s = arith.addf %acc, %p : f16
    linalg.yield %s : f16
  }
  return
}

// -----

// Two stages copied with cp.async, 72 KiB of tiles: dynamic shared memory
// (views of one byte buffer, B 16-byte aligned after A), one group of
// copies per tile (both operands) issued one tile ahead, a wait for all
// but S - 2 = 0 groups and one barrier per reduction step; the stage is
// the tiles' first index.
// CHECK-LABEL: func.func @async_two_stages
// CHECK:         gpu.launch {{.*}} dynamic_shared_memory_size %{{.*}}
// CHECK:           %[[RAW:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:           %[[AT:.*]] = memref.view %[[RAW]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<2x128x72xf16, #gpu.address_space<workgroup>>
// CHECK:           %[[BT:.*]] = memref.view %[[RAW]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<2x64x136xf16, #gpu.address_space<workgroup>>
// CHECK-COUNT-8:   nvgpu.device_async_copy %{{.*}}, %[[AT]][%{{.*}}, %{{.*}}, %{{.*}}], 8 {bypassL1}
// CHECK-COUNT-8:   nvgpu.device_async_copy %{{.*}}, %[[BT]][%{{.*}}, %{{.*}}, %{{.*}}], 8 {bypassL1}
// CHECK:           nvgpu.device_async_create_group
// CHECK:           nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
// CHECK-NEXT:      gpu.barrier
// CHECK:           scf.for
// CHECK-COUNT-16:    nvgpu.device_async_copy
// CHECK:             nvgpu.device_async_create_group
// CHECK:             nvgpu.ldmatrix %[[AT]][%{{.*}}, %{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false}
// CHECK:             nvgpu.mma.sync
// CHECK:             nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
// CHECK-NEXT:        gpu.barrier
// CHECK-NEXT:        scf.yield
// CHECK:           nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
func.func @async_two_stages(%a: memref<256x512xf16>, %b: memref<512x384xf16>, %c: memref<256x384xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, copy = "async", mma = "m16n8k16", stages = 2 : i64, warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<256x512xf16>, memref<512x384xf16>) outs(%c : memref<256x384xf16>)
  return
}

// -----

// Two stages through registers (static workgroup memory, [2][...] tiles):
// the loop stores the tile read one iteration earlier into the other
// stage, reads the next one, multiplies and passes one barrier.
// CHECK-LABEL: func.func @register_two_stages
// CHECK:         gpu.launch
// CHECK-SAME:      workgroup(%[[AT:.*]] : memref<2x64x40xf16, 3>, %[[BT:.*]] : memref<2x32x72xf16, 3>)
// CHECK:           gpu.barrier
// CHECK:           scf.for
// CHECK:             vector.store %{{.*}}, %[[AT]][%{{.*}}, %{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<2x64x40xf16, 3>, vector<8xf16>
// CHECK-NOT:         gpu.barrier
// CHECK:             nvgpu.mma.sync
// CHECK:             gpu.barrier
// CHECK-NEXT:        scf.yield
func.func @register_two_stages(%a: memref<128x64xf16>, %b: memref<64x128xf16>, %c: memref<128x128xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", stages = 2 : i64, warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<128x64xf16>, memref<64x128xf16>) outs(%c : memref<128x128xf16>)
  return
}

// -----

// Three cp.async stages: tiles 0 and 1 in flight before the loop (one group
// each), and the waits leave S - 2 = 1 group (the newest tile) pending.
// CHECK-LABEL: func.func @async_three_stages
// CHECK-COUNT-2: nvgpu.device_async_create_group
// CHECK:         nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK:         scf.for
// CHECK:           nvgpu.device_async_create_group
// CHECK-NOT:       nvgpu.device_async_create_group
// CHECK:           nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK:         nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
func.func @async_three_stages(%a: memref<128x256xf16>, %b: memref<256x128xf16>, %c: memref<128x128xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, copy = "async", mma = "m16n8k16", stages = 3 : i64, warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<128x256xf16>, memref<256x128xf16>) outs(%c : memref<128x128xf16>)
  return
}

// -----

// ldmatrix_b_tiles = 4: one ldmatrix.x4 reads two neighbouring B fragments
// (n-minor B: transposed; k-minor B: as is), split into two vector<2x2xf16>.
// CHECK-LABEL: func.func @wide_b_loads
// CHECK:         gpu.launch
// CHECK-SAME:      workgroup(%{{.*}} : memref<64x40xf16, 3>, %[[BT:.*]] : memref<32x72xf16, 3>)
// CHECK:           nvgpu.ldmatrix %[[BT]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = true} : memref<32x72xf16, 3> -> vector<4x2xf16>
// CHECK-NOT:       numTiles = 2
// CHECK:           nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>)
func.func @wide_b_loads(%a: memref<128x64xf16>, %b: memref<64x128xf16>, %c: memref<128x128xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, ldmatrix_b_tiles = 4 : i64, mma = "m16n8k16", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<128x64xf16>, memref<64x128xf16>) outs(%c : memref<128x128xf16>)
  return
}

// -----

// A zero fill of C right before the product: the fill is dropped and the
// accumulators start at zero (no kernel for the fill, no reads of C).
// CHECK-LABEL: func.func @from_zero
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch
// CHECK-NOT:       memref<128x256xf16>, vector<2xf16>
// CHECK:           scf.for
// CHECK:           vector.store %{{.*}} : memref<128x256xf16>, vector<2xf16>
// CHECK-NOT:     gpu.launch
func.func @from_zero(%a: memref<128x64xf16>, %b: memref<64x256xf16>, %c: memref<128x256xf16>) {
  %zero = arith.constant 0.0 : f16
  linalg.fill ins(%zero : f16) outs(%c : memref<128x256xf16>)
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<128x64xf16>, memref<64x256xf16>) outs(%c : memref<128x256xf16>)
  return
}

// -----

// A fill with another value (here 1) stays a kernel of its own, and the
// product reads C; an odd number of columns is read and written one
// element at a time, reads outside C from a clamped (in-bounds) place.
// CHECK-LABEL: func.func @odd_columns_from_one
// CHECK:         gpu.launch
// CHECK:           linalg.fill
// CHECK:         gpu.launch
// CHECK:           %[[N:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      memref.load %{{.*}}[%{{.*}}, %[[N]]] : memref<64x45xf16>
// CHECK:           scf.for
// CHECK:           memref.store %{{.*}} : memref<64x45xf16>
// CHECK-NOT:       vector<2xf16>
func.func @odd_columns_from_one(%a: memref<64x32xf16>, %b: memref<32x45xf16>, %c: memref<64x45xf16>) {
  %one = arith.constant 1.0 : f16
  linalg.fill ins(%one : f16) outs(%c : memref<64x45xf16>)
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 64, 64, 32>, mma = "m16n8k16", warps = array<i64: 2, 2>}}
      ins(%a, %b : memref<64x32xf16>, memref<32x45xf16>) outs(%c : memref<64x45xf16>)
  return
}
