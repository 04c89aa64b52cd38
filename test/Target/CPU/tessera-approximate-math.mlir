// RUN: tessera-opt %s --split-input-file --tessera-approximate-math | FileCheck %s
// RUN: tessera-opt %s --split-input-file --tessera-approximate-math=ops=exp | FileCheck %s --check-prefix=EXP

// GELU's erf (scalar, as in the loops after convert-linalg-to-loops) and
// softmax's exp (vector) become polynomial code: no call is left for
// convert-math-to-libm. Only f32 is rewritten; sin is not in the default
// set.
// CHECK-LABEL: func.func @defaults
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.exp {{.*}} : vector<16xf32>
// CHECK:         math.fma {{.*}} : f32
// CHECK:         math.fma {{.*}} : vector<16xf32>
// CHECK:         %[[D:.+]] = math.exp %{{.+}} : f64
// CHECK:         %[[S:.+]] = math.sin %{{.+}} : f32
// CHECK:         return %{{.+}}, %{{.+}}, %[[D]], %[[S]]
// EXP-LABEL:   func.func @defaults
// EXP:           math.erf
// EXP-NOT:       math.exp {{.*}} : vector<16xf32>
// EXP:           math.exp {{.*}} : f64
func.func @defaults(%x: f32, %v: vector<16xf32>, %d: f64) -> (f32, vector<16xf32>, f64, f32) {
  %e = math.erf %x : f32
  %x2 = math.exp %v : vector<16xf32>
  %d2 = math.exp %d : f64
  %s = math.sin %x : f32
  return %e, %x2, %d2, %s : f32, vector<16xf32>, f64, f32
}
