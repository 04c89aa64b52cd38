// RUN: tessera-opt %s --split-input-file --thls-outline-kernels | FileCheck %s

// Each linalg op becomes a kernel with one m_axi bundle per root buffer;
// the model function calls the kernels in order.
// CHECK-LABEL: func.func @model
// CHECK-SAME: (%[[X:.+]]: memref<8xf32>, %[[Y:.+]]: memref<8xf32>)
// CHECK: %[[T:.+]] = memref.alloc() : memref<8xf32>
// CHECK: call @k0_generic(%[[X]], %[[T]]) : (memref<8xf32>, memref<8xf32>) -> ()
// CHECK: call @k1_copy(%[[T]], %[[Y]])
// CHECK-LABEL: func.func private @k0_generic
// CHECK-SAME: (%[[A0:.+]]: memref<8xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem0">},
// CHECK-SAME: %[[A1:.+]]: memref<8xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem1">})
// CHECK-SAME: attributes {thls.kernel}
// CHECK: %[[C:.+]] = arith.constant 2.0
// CHECK: linalg.generic {{.*}} ins(%[[A0]] : memref<8xf32>) outs(%[[A1]] : memref<8xf32>)
// CHECK: arith.mulf %{{.+}}, %[[C]]
// CHECK-LABEL: func.func private @k1_copy
#id = affine_map<(d0) -> (d0)>
func.func @model(%x: memref<8xf32>, %y: memref<8xf32>) {
  %c2 = arith.constant 2.0 : f32
  %t = memref.alloc() : memref<8xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c2 : f32
    linalg.yield %m : f32
  }
  linalg.copy ins(%t : memref<8xf32>) outs(%y : memref<8xf32>)
  memref.dealloc %t : memref<8xf32>
  return
}

// -----

// Views are re-created in the kernel: the port is the root buffer, so the
// host passes a contiguous array (here: a padded buffer's interior and a
// reshaped weight).
// CHECK-LABEL: func.func @views
// CHECK: call @k0_copy(%{{.+}}, %{{.+}}) : (memref<1x4xf32>, memref<1x6xf32>) -> ()
// CHECK: call @k1_generic(%{{.+}}, %{{.+}}) : (memref<1x6xf32>, memref<6xf32>) -> ()
// CHECK-LABEL: func.func private @k0_copy
// CHECK-SAME: (%[[IN:.+]]: memref<1x4xf32> {{.*}}, %[[PAD:.+]]: memref<1x6xf32> {{.*}})
// CHECK: %[[SUB:.+]] = memref.subview %[[PAD]][0, 1] [1, 4] [1, 1]
// CHECK: linalg.copy ins(%[[IN]] : memref<1x4xf32>) outs(%[[SUB]] : memref<1x4xf32, strided<[6, 1], offset: 1>>)
// CHECK-LABEL: func.func private @k1_generic
// CHECK: memref.collapse_shape
func.func @views(%x: memref<1x4xf32>, %y: memref<6xf32>) {
  %pad = memref.alloc() : memref<1x6xf32>
  %sub = memref.subview %pad[0, 1] [1, 4] [1, 1] : memref<1x6xf32> to memref<1x4xf32, strided<[6, 1], offset: 1>>
  linalg.copy ins(%x : memref<1x4xf32>) outs(%sub : memref<1x4xf32, strided<[6, 1], offset: 1>>)
  %flat = memref.collapse_shape %pad [[0, 1]] : memref<1x6xf32> into memref<6xf32>
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%flat : memref<6xf32>) outs(%y : memref<6xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}
