// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu{block-size=64}))' | FileCheck %s

// A reduction: one invocation per output element, the reduction loop stays
// inside the kernel as the tiled op.
// CHECK-LABEL: func.func @row_sum
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         gpu.launch blocks(%[[BX:.*]], %[[BY:.*]], %{{.*}}) in (%{{.*}} = %[[C2]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]]) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C64]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]])
// CHECK:           %[[ID:.*]] = arith.addi %{{.*}}, %[[TX]] : index
// CHECK:           %[[IN:.*]] = arith.cmpi ult, %[[ID]], %{{.*}} : index
// CHECK:           scf.if %[[IN]] {
// CHECK:             %[[A:.*]] = memref.subview %{{.*}}[%[[ID]], 0] [1, 128] [1, 1]
// CHECK:             %[[B:.*]] = memref.subview %{{.*}}[%[[ID]]] [1] [1]
// CHECK:             linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK-SAME:          ins(%[[A]] : memref<1x128xf32, {{.*}}>) outs(%[[B]] : memref<1xf32, {{.*}}>)
// CHECK:           gpu.terminator
// CHECK-NOT:     linalg.generic
func.func @row_sum(%a: memref<100x128xf32>, %b: memref<100xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<100x128xf32>) outs(%b : memref<100xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Points of a multi-dimensional space come from the linear id, innermost
// dimension fastest.
// CHECK-LABEL: func.func @fill_3d
// CHECK:         gpu.launch
// CHECK:           scf.if
// CHECK-DAG:         %[[W:.*]] = arith.remui %[[ID:.*]], %c5{{(_[0-9]+)?}} : index
// CHECK-DAG:         %[[R:.*]] = arith.divui %[[ID]], %c5{{(_[0-9]+)?}} : index
// CHECK:             memref.subview %{{.*}}[%{{.*}}, %{{.*}}, %[[W]]] [1, 1, 1] [1, 1, 1]
// CHECK:             linalg.fill
func.func @fill_3d(%out: memref<2x3x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<2x3x5xf32>)
  return
}

// -----

// Empty iteration spaces launch nothing.
// CHECK-LABEL: func.func @empty
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     linalg.fill
func.func @empty(%out: memref<0x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<0x3xf32>)
  return
}

// -----

// More blocks than max-grid-x: the grid becomes 2-D.
// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-map-linalg-to-gpu{block-size=64 max-grid-x=4}))' | FileCheck %s --check-prefix=GRID
// CHECK-LABEL: func.func @big
// GRID-LABEL: func.func @big
// GRID-DAG:     %[[C4:.*]] = arith.constant 4 : index
// GRID-DAG:     %[[C3:.*]] = arith.constant 3 : index
// GRID:         gpu.launch blocks(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C4]], %{{.*}} = %[[C3]],
func.func @big(%out: memref<700xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<700xf32>)
  return
}
