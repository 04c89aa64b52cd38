// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config | FileCheck %s

// B's rows are 4 KiB apart (N = 1024): they alias in L1, so the config asks
// for a packed right-hand side.
// CHECK-LABEL: func.func @aliasing_rows
// CHECK:         linalg.matmul {tessera.tile_config = {{{.*}}pack_rhs{{.*}}}}
func.func @aliasing_rows(%a: tensor<64x256xf32>, %b: tensor<256x1024xf32>,
                         %c: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x1024xf32>)
                     outs(%c : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  return %r : tensor<64x1024xf32>
}

// -----

// A run-time B with 1 KiB rows is read in place: packing would copy it on
// every call for little gain.
// CHECK-LABEL: func.func @short_rows
// CHECK:         linalg.matmul {tessera.tile_config =
// CHECK-NOT:       pack_rhs
// CHECK-SAME:      vector = array<i64: 8, 32, 1>}}
func.func @short_rows(%a: tensor<64x256xf32>, %b: tensor<256x256xf32>,
                      %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x256xf32>)
                     outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// -----

// A constant B (a weight) is packed at compile time, so any shape whose
// tiles read whole panels asks for it.
// CHECK-LABEL: func.func @constant_rhs
// CHECK:         linalg.matmul {tessera.tile_config = {{{.*}}pack_rhs{{.*}}}}
func.func @constant_rhs(%a: tensor<64x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %b = arith.constant dense<1.0> : tensor<256x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x256xf32>)
                     outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// -----

// Tiles that do not cover whole panels (N = 784: 112-wide tiles, 32-wide
// register tiles) read B in place.
// CHECK-LABEL: func.func @partial_panels
// CHECK:         linalg.matmul {tessera.tile_config =
// CHECK-NOT:       pack_rhs
// CHECK-SAME:      }}
func.func @partial_panels(%a: tensor<64x256xf32>, %c: tensor<64x784xf32>) -> tensor<64x784xf32> {
  %b = arith.constant dense<1.0> : tensor<256x784xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x784xf32>)
                     outs(%c : tensor<64x784xf32>) -> tensor<64x784xf32>
  return %r : tensor<64x784xf32>
}
