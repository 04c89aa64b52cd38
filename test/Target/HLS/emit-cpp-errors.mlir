// RUN: tessera-opt %s --split-input-file --thls-emit-cpp --verify-diagnostics

// Ops without a C++ form are reported, not dropped.
func.func private @k0(%a: memref<4xf32>) attributes {thls.kernel} {
  affine.for %i = 0 to 4 {
    %v = affine.load %a[%i] : memref<4xf32>
    // expected-error @+1 {{'math.atan' op cannot be emitted as HLS C++}}
    %r = math.atan %v : f32
    affine.store %r, %a[%i] : memref<4xf32>
  }
  return
}

// -----

// Element types without a plain C++ type are reported.
// expected-error @+1 {{argument 0 has a type HLS C++ emission does not support: 'memref<4xf16>'}}
func.func private @k1(%a: memref<4xf16>) attributes {thls.kernel} {
  return
}
