// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu))' | FileCheck %s

// An f16 product with the wgmma config (sm_90a): blocks of 128 x 128 (grid
// 3 x 2 for 256 x 384) of two warpgroups (256 threads) in 3 stages of 32 KiB
// plus 1 KiB to align them to 1024 bytes, in dynamic shared memory; the
// tiles start at the first 1024-byte boundary; A (k-minor) and B (n-minor)
// copied with cp.async, 4 + 4 pieces of 16 bytes per thread and stage, at
// 128-byte-swizzled places (chunk ^ row % 8); a proxy fence before every
// barrier that publishes a tile; per 64 of the reduction four
// wgmma.m64n128k16 on one accumulator struct of 64 f32, their descriptors
// with LBO 1 (A), 8192 (B) >> 4 and SBO 1024 >> 4 and the 128-byte swizzle
// (1 << 62), A K-major ("row"), B MN-major ("row": transposed), then one
// commit and a wait for all; 64 f32 rounded to f16 at the store. Whole
// tiles: no bounds checks.
// CHECK-LABEL: func.func @f16
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG:     %[[SHARED:.*]] = arith.constant 99328 : i32
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[C3]], {{.*}} = %[[C2]], {{.*}} = %[[C1]]) threads({{.*}}) in ({{.*}} = %[[C256]], {{.*}} = %[[C1]], {{.*}} = %[[C1]]) dynamic_shared_memory_size %[[SHARED]]
// CHECK:           %[[RAW:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:           memref.extract_aligned_pointer_as_index %[[RAW]]
// CHECK:           arith.andi %{{.*}}, %{{.*}} : i64
// CHECK:           %[[BYTES:.*]] = memref.view %[[RAW]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<98304xi8, #gpu.address_space<workgroup>>
// CHECK:           %[[TILES:.*]] = memref.view %[[BYTES]][%{{.*}}][] : memref<98304xi8, #gpu.address_space<workgroup>> to memref<49152xf16, #gpu.address_space<workgroup>>
// CHECK-COUNT-64:  llvm.insertvalue
// CHECK:           arith.xori
// CHECK-COUNT-8:   nvgpu.device_async_copy %{{.*}}[%{{.*}}], %[[TILES]][%{{.*}}], 8 {bypassL1}
// CHECK:           nvgpu.device_async_create_group
// CHECK:           nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK-NEXT:      nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT:      gpu.barrier
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (!llvm.struct<(f32, {{.*}})>) {
// CHECK-COUNT-8:     nvgpu.device_async_copy
// CHECK:             nvgpu.device_async_create_group
// CHECK:             nvvm.wgmma.fence.aligned
// CHECK-COUNT-4:     nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %{{.*}}, <m = 64, n = 128, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <row>]
// CHECK:             nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:        nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-NEXT:        nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK-NEXT:        nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT:        gpu.barrier
// CHECK:             scf.yield
// CHECK:           nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
// CHECK-NOT:       scf.if
// CHECK-COUNT-64:  arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT:     linalg.matmul
func.func @f16(%a: memref<256x512xf16>, %b: memref<512x384xf16>, %c: memref<256x384xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "wgmma", stages = 3 : i64}}
      ins(%a, %b : memref<256x512xf16>, memref<512x384xf16>) outs(%c : memref<256x384xf16>)
  return
}

// -----

// The descriptors: A's LBO field 1 and SBO 64 (1024 bytes) with the 128-byte
// swizzle: 1 << 16 | 64 << 32 | 1 << 62 = 4611686293305360384; B (MN-major,
// 64 columns of 8192 bytes apart) LBO 512: 4611686293338849280; each
// or-ed onto the shared address >> 4.
// CHECK-LABEL: func.func @descriptors
// CHECK-DAG:     arith.constant 4611686293305360384 : i64
// CHECK-DAG:     arith.constant 4611686293338849280 : i64
// CHECK:         nvvm.wgmma.mma_async
func.func @descriptors(%a: memref<256x512xf16>, %b: memref<512x384xf16>, %c: memref<256x384xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "wgmma", stages = 3 : i64}}
      ins(%a, %b : memref<256x512xf16>, memref<512x384xf16>) outs(%c : memref<256x384xf16>)
  return
}

// -----

// bf16, B k-minor (a Gemm with transB: B[n][k]), 1 warpgroup of 64 x 256 in
// 4 stages; partial tiles (100 x 200 x 72): the copies zero-fill outside
// the operands and the stores check bounds. A product from a zero fill of
// C starts from zero accumulators and drops the fill.
// CHECK-LABEL: func.func @bf16_bt
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch
// CHECK-SAME:      threads({{.*}}) in ({{.*}} = %{{.*}}, {{.*}} = %{{.*}}, {{.*}} = %{{.*}}) dynamic_shared_memory_size
// CHECK-NOT:       memref.load
// CHECK:           scf.for
// CHECK:             arith.select %{{.*}}, %{{.*}}, %{{.*}} : index
// CHECK:             nvgpu.device_async_copy
// CHECK-COUNT-4:     nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %{{.*}}, <m = 64, n = 256, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// CHECK:           scf.if
// CHECK:             arith.truncf %{{.*}} : f32 to bf16
#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @bf16_bt(%a: memref<100x72xbf16>, %b: memref<200x72xbf16>, %c: memref<100x200xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%c : memref<100x200xbf16>)
  linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      {tessera.gpu_tile_config = {block = array<i64: 64, 256, 64>, mma = "wgmma", stages = 4 : i64}}
      ins(%a, %b : memref<100x72xbf16>, memref<200x72xbf16>) outs(%c : memref<100x200xbf16>) {
  ^bb0(%x: bf16, %y: bf16, %acc: bf16):
    %p = arith.mulf %x, %y : bf16
    %s = arith.addf %acc, %p : bf16
    linalg.yield %s : bf16
  }
  return
}

// -----

// wgmma_overlap: one batch of wgmma stays in flight across the barrier
// (wait for all but 1 in the loop, for all after it), so 4 stages copy 2
// tiles ahead: the prologue issues 2 groups and the waits leave 1 pending.
// CHECK-LABEL: func.func @overlap
// CHECK:         gpu.launch
// CHECK-COUNT-2:   nvgpu.device_async_create_group
// CHECK:           nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK:           scf.for
// CHECK:             nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:        nvvm.wgmma.wait.group.sync.aligned 1
// CHECK-NEXT:        nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK:             scf.yield
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-NEXT:      nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
func.func @overlap(%a: memref<256x512xf16>, %b: memref<512x384xf16>, %c: memref<256x384xf16>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>, mma = "wgmma", stages = 4 : i64, wgmma_overlap = true}}
      ins(%a, %b : memref<256x512xf16>, memref<512x384xf16>) outs(%c : memref<256x384xf16>)
  return
}
