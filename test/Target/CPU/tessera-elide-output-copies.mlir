// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-elide-output-copies))' | FileCheck %s

// The result is computed into the output argument instead of a fresh
// buffer that is then copied.
// CHECK-LABEL: func.func @in_place
// CHECK-SAME:    (%[[IN:.+]]: memref<4xf32>, %[[OUT:.+]]: memref<4xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.copy ins(%[[IN]] : memref<4xf32>) outs(%[[OUT]] : memref<4xf32>)
// CHECK-NOT:     memref.copy
// CHECK-NOT:     memref.dealloc
// CHECK:         return
func.func @in_place(%in: memref<4xf32>, %out: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  linalg.copy ins(%in : memref<4xf32>) outs(%a : memref<4xf32>)
  memref.copy %a, %out : memref<4xf32> to memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  return
}

// -----

// The buffer is read after the copy: writing the output early would be
// observable, so the copy stays.
// CHECK-LABEL: func.func @used_after_copy
// CHECK:         %[[A:.+]] = memref.alloc
// CHECK:         memref.copy %[[A]], %{{.+}}
// CHECK:         linalg.copy ins(%[[A]]
func.func @used_after_copy(%in: memref<4xf32>, %out: memref<4xf32>, %out2: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  linalg.copy ins(%in : memref<4xf32>) outs(%a : memref<4xf32>)
  memref.copy %a, %out : memref<4xf32> to memref<4xf32>
  linalg.copy ins(%a : memref<4xf32>) outs(%out2 : memref<4xf32>)
  return
}

// -----

// A copy from an input argument (an output that is an input) is kept.
// CHECK-LABEL: func.func @copy_of_input
// CHECK:         memref.copy %{{.+}}, %{{.+}} : memref<4xf32> to memref<4xf32>
func.func @copy_of_input(%in: memref<4xf32>, %out: memref<4xf32>) {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}

// -----

// Types differ (a strided view): no replacement.
// CHECK-LABEL: func.func @different_type
// CHECK:         memref.alloc
// CHECK:         memref.copy
func.func @different_type(%in: memref<4xf32>, %out: memref<4xf32, strided<[2]>>) {
  %a = memref.alloc() : memref<4xf32>
  linalg.copy ins(%in : memref<4xf32>) outs(%a : memref<4xf32>)
  memref.copy %a, %out : memref<4xf32> to memref<4xf32, strided<[2]>>
  return
}
