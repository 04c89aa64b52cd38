// RUN: tessera-opt %s --split-input-file --thls-explore-design | FileCheck %s
// RUN: tessera-opt %s --split-input-file --thls-explore-design=profile=zcu102 | FileCheck %s --check-prefix=ZCU
// RUN: not tessera-opt %s --split-input-file --thls-explore-design=profile=nowhere.json 2>&1 | FileCheck %s --check-prefix=BAD

// A matmul with an on-chip accumulator row: every innermost loop is
// pipelined at II=1 and unrolled, the accumulator partitioned to match; the
// estimate is recorded with the latency of the same loops without
// directives (baseline).
// CHECK-LABEL: func.func private @k0_matmul
// CHECK-SAME: thls.qor = {baseline = [[BASE:[0-9]+]] : i64, bram18k = {{[0-9]+}} : i64, dsp = {{[0-9]+}} : i64, ff = {{[0-9]+}} : i64, ii = 1 : i64, latency = [[LAT:[0-9]+]] : i64, lut = {{[0-9]+}} : i64, unroll = 16 : i64}
// CHECK: memref.alloca() {thls.partition = #thls.partition<cyclic, factor = 16, dim = 1>} : memref<256xf32>
// CHECK: } {thls.pipeline = #thls.pipeline<ii = 1>, thls.unroll = #thls.unroll<factor = 16>}
// CHECK: } {thls.pipeline = #thls.pipeline<ii = 1>, thls.unroll = #thls.unroll<factor = 16>}
// CHECK: } {thls.pipeline = #thls.pipeline<ii = 1>, thls.unroll = #thls.unroll<factor = 16>}
// The smaller board has narrower ports: a smaller factor.
// ZCU-LABEL: func.func private @k0_matmul
// ZCU-SAME: unroll = 4 : i64
// BAD: error: FPGA profile 'nowhere.json' is neither a built-in profile (u250, zcu102) nor a readable file
func.func private @k0_matmul(%a: memref<64x256xf32>, %b: memref<256x256xf32>, %c: memref<64x256xf32>) attributes {thls.kernel} {
  affine.for %m = 0 to 64 {
    %buf = memref.alloca() : memref<256xf32>
    affine.for %p = 0 to 256 {
      %v = affine.load %c[%m, %p] : memref<64x256xf32>
      affine.store %v, %buf[%p] : memref<256xf32>
    }
    affine.for %k = 0 to 256 {
      affine.for %n = 0 to 256 {
        %x = affine.load %a[%m, %k] : memref<64x256xf32>
        %y = affine.load %b[%k, %n] : memref<256x256xf32>
        %acc = affine.load %buf[%n] : memref<256xf32>
        %prod = arith.mulf %x, %y : f32
        %s = arith.addf %acc, %prod : f32
        affine.store %s, %buf[%n] : memref<256xf32>
      }
    }
    affine.for %p = 0 to 256 {
      %v = affine.load %buf[%p] : memref<256xf32>
      affine.store %v, %c[%m, %p] : memref<64x256xf32>
    }
  }
  return
}
