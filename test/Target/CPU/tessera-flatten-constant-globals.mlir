// RUN: tessera-opt %s --split-input-file --tessera-flatten-constant-globals | FileCheck %s

// A 4-D weight becomes a 1-D global with the same resource; its use gets
// the original shape back through expand_shape.
// CHECK:       memref.global "private" constant @w : memref<24xf32> = dense_resource<w> {alignment = 64 : i64}
// CHECK-LABEL: func.func @use
// CHECK:         %[[FLAT:.+]] = memref.get_global @w : memref<24xf32>
// CHECK:         %[[W:.+]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1, 2, 3]] output_shape [2, 3, 2, 2] : memref<24xf32> into memref<2x3x2x2xf32>
// CHECK:         return %[[W]]
memref.global "private" constant @w : memref<2x3x2x2xf32> = dense_resource<w> {alignment = 64 : i64}
func.func @use() -> memref<2x3x2x2xf32> {
  %0 = memref.get_global @w : memref<2x3x2x2xf32>
  return %0 : memref<2x3x2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000000000000803F000000400000404000008040000000000000803F000000400000404000008040000000000000803F000000400000404000008040000000000000803F000000400000404000008040000000000000803F0000004000004040"
    }
  }
#-}

// -----

// Inline dense values are reshaped; 1-D and mutable globals stay as they are.
// CHECK:       memref.global "private" constant @small : memref<4xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]>
// CHECK:       memref.global "private" constant @vector : memref<3xf32>
// CHECK:       memref.global "private" @state : memref<2x2xf32>
// CHECK-LABEL: func.func @uses
// CHECK:         memref.expand_shape {{.*}} output_shape [2, 2] : memref<4xf32> into memref<2x2xf32>
// CHECK:         memref.get_global @state : memref<2x2xf32>
memref.global "private" constant @small : memref<2x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0]]>
memref.global "private" constant @vector : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
memref.global "private" @state : memref<2x2xf32> = dense<0.0>
func.func @uses() -> (memref<2x2xf32>, memref<3xf32>, memref<2x2xf32>) {
  %0 = memref.get_global @small : memref<2x2xf32>
  %1 = memref.get_global @vector : memref<3xf32>
  %2 = memref.get_global @state : memref<2x2xf32>
  return %0, %1, %2 : memref<2x2xf32>, memref<3xf32>, memref<2x2xf32>
}
