// RUN: tessera-opt %s --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu))' | FileCheck %s
// RUN: tessera-opt %s --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu{tiled-contractions=false}))' | FileCheck %s --check-prefix=NAIVE

// A matrix product becomes the tiled kernel: 64x64 output tiles (grid 3 x 2
// for 130 x 100), 256 invocations with 4x4 register tiles, 64x16 and 16x64
// operand tiles in workgroup memory (space 3) between barriers.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[C256:.*]] = arith.constant 256 : index
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[C3]], {{.*}} = %[[C2]], {{.*}} = %[[C1]]) threads({{.*}}) in ({{.*}} = %[[C256]], {{.*}} = %[[C1]], {{.*}} = %[[C1]])
// CHECK-SAME:      workgroup(%[[AT:.*]] : memref<64x16xf32, 3>, %[[BT:.*]] : memref<16x64xf32, 3>)
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// CHECK:             memref.store %{{.*}}, %[[AT]]
// CHECK:             memref.store %{{.*}}, %[[BT]]
// CHECK:             gpu.barrier
// CHECK:             scf.for
// CHECK-COUNT-16:      arith.addf
// CHECK:             gpu.barrier
// CHECK-COUNT-16:  scf.if
// CHECK-NOT:     linalg.matmul
// NAIVE-NOT:     workgroup(
// NAIVE:         linalg.matmul
func.func @matmul(%a: memref<100x70xf32>, %b: memref<70x130xf32>, %c: memref<100x130xf32>) {
  linalg.matmul ins(%a, %b : memref<100x70xf32>, memref<70x130xf32>) outs(%c : memref<100x130xf32>)
  return
}

// A user's tiling on the op wins.
// CHECK-LABEL: func.func @override
// CHECK:         threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{[a-z0-9]+}} = %c64,
// CHECK-SAME:      workgroup(%{{[a-z0-9]+}} : memref<32x8xf32, 3>, %{{[a-z0-9]+}} : memref<8x32xf32, 3>)
func.func @override(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 32, 32, 8>, thread = array<i64: 4, 4>}}
      ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}
