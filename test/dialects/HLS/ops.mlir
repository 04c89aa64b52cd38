// RUN: tessera-opt %s --split-input-file | tessera-opt --split-input-file | FileCheck %s

// Every directive round-trips: kernel, dataflow, interfaces, pipeline,
// unroll, partition.
// CHECK-LABEL: func.func @directives
// CHECK-SAME: %{{.+}}: memref<64xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem0">}
// CHECK-SAME: %{{.+}}: i32 {thls.interface = #thls.interface<s_axilite>}
// CHECK-SAME: attributes {thls.dataflow, thls.kernel}
// CHECK: memref.alloca() {thls.partition = #thls.partition<cyclic, factor = 4, dim = 2>} : memref<4x64xf32>
// CHECK: memref.alloca() {thls.partition = #thls.partition<complete, factor = 0, dim = 0>} : memref<4xf32>
// CHECK: } {thls.pipeline = #thls.pipeline<ii = 1>, thls.unroll = #thls.unroll<factor = 4>}
func.func @directives(%a: memref<64xf32> {thls.interface = #thls.interface<m_axi, bundle = "gmem0">},
                      %n: i32 {thls.interface = #thls.interface<s_axilite>})
    attributes {thls.kernel, thls.dataflow} {
  %buf = memref.alloca() {thls.partition = #thls.partition<cyclic, factor = 4, dim = 2>} : memref<4x64xf32>
  %regs = memref.alloca() {thls.partition = #thls.partition<complete, factor = 0, dim = 0>} : memref<4xf32>
  affine.for %i = 0 to 64 {
    %v = affine.load %a[%i] : memref<64xf32>
    affine.store %v, %buf[0, %i] : memref<4x64xf32>
  } {thls.pipeline = #thls.pipeline<ii = 1>, thls.unroll = #thls.unroll<factor = 4>}
  return
}

// -----

// Estimates are a dictionary on the kernel.
// CHECK-LABEL: func.func @estimate
// CHECK-SAME: thls.qor = {dsp = 2 : i64, latency = 100 : i64}
func.func @estimate() attributes {thls.kernel, thls.qor = {latency = 100 : i64, dsp = 2 : i64}} {
  return
}
