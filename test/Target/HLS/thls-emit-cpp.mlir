// RUN: tessera-opt %s --split-input-file --thls-emit-cpp | FileCheck %s

// A matmul kernel: ports are flat pointers with one m_axi bundle each, the
// pipelined loop carries PIPELINE and UNROLL, indices are linearized.
// CHECK-LABEL: // ===== k0_matmul.cpp
// CHECK: // Estimate: latency=100
// CHECK: extern "C" void k0_matmul(float *a0, float *a1, float *a2) {
// CHECK-NEXT: #pragma HLS INTERFACE m_axi port=a0 bundle=gmem0 offset=slave depth=32
// CHECK-NEXT: #pragma HLS INTERFACE m_axi port=a1 bundle=gmem1 offset=slave depth=128
// CHECK-NEXT: #pragma HLS INTERFACE m_axi port=a2 bundle=gmem2 offset=slave depth=64
// CHECK-NEXT: #pragma HLS INTERFACE s_axilite port=return
// CHECK: for (int64_t v0 = 0; v0 < 4; v0 += 1) {
// CHECK: for (int64_t v1 = 0; v1 < 8; v1 += 1) {
// CHECK: for (int64_t v2 = 0; v2 < 16; v2 += 1) {
// CHECK-NEXT: #pragma HLS PIPELINE II=1
// CHECK-NEXT: #pragma HLS UNROLL factor=4
// CHECK-NEXT: float v3 = a0[v0 * 8 + v1];
// CHECK-NEXT: float v4 = a1[v1 * 16 + v2];
// CHECK-NEXT: float v5 = a2[v0 * 16 + v2];
// CHECK-NEXT: float v6 = v3 * v4;
// CHECK-NEXT: float v7 = v5 + v6;
// CHECK-NEXT: a2[v0 * 16 + v2] = v7;
// CHECK-LABEL: // ===== tessera_kernels.h
// CHECK: extern "C" void k0_matmul(float *a0, float *a1, float *a2);
func.func private @k0_matmul(%a: memref<4x8xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem0">},
                             %b: memref<8x16xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem1">},
                             %c: memref<4x16xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem2">})
    attributes {thls.kernel, thls.qor = {latency = 100 : i64}} {
  affine.for %m = 0 to 4 {
    affine.for %k = 0 to 8 {
      affine.for %n = 0 to 16 {
        %x = affine.load %a[%m, %k] : memref<4x8xf32>
        %y = affine.load %b[%k, %n] : memref<8x16xf32>
        %acc = affine.load %c[%m, %n] : memref<4x16xf32>
        %p = arith.mulf %x, %y : f32
        %s = arith.addf %acc, %p : f32
        affine.store %s, %c[%m, %n] : memref<4x16xf32>
      } {thls.pipeline = #thls.pipeline<ii = 1>, thls.unroll = #thls.unroll<factor = 4>}
    }
  }
  return
}

// -----

// A view of a port (the interior of a padded buffer) is a static offset and
// strides on the root pointer; local arrays are C arrays with their
// partitioning; constants and selects map to C++.
// CHECK-LABEL: // ===== k1_pad.cpp
// CHECK: extern "C" void k1_pad(float *a0, float *a1) {
// CHECK: float v0[2][8];
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=v0 cyclic factor=2 dim=2
// CHECK: const float v1 = 0.000000000e+00f;
// CHECK: float v3 = a0[v2];
// CHECK: bool v4 = v3 > v1;
// CHECK: float v5 = v4 ? v3 : v1;
// CHECK: a1[v2 + 1] = v5;
// CHECK: v0[1][v2] = v5;
func.func private @k1_pad(%in: memref<4xf32>, %out: memref<6xf32>) attributes {thls.kernel} {
  %sub = memref.subview %out[1] [4] [1] : memref<6xf32> to memref<4xf32, strided<[1], offset: 1>>
  %buf = memref.alloca() {thls.partition = #thls.partition<cyclic, factor = 2, dim = 2>} : memref<2x8xf32>
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 4 {
    %v = affine.load %in[%i] : memref<4xf32>
    %c = arith.cmpf ogt, %v, %zero : f32
    %r = arith.select %c, %v, %zero : f32
    affine.store %r, %sub[%i] : memref<4xf32, strided<[1], offset: 1>>
    affine.store %r, %buf[1, %i] : memref<2x8xf32>
  }
  return
}
