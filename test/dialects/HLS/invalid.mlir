// RUN: tessera-opt %s --split-input-file --verify-diagnostics

func.func @zero_ii() {
  // expected-error @+2 {{pipeline II must be at least 1, got 0}}
  affine.for %i = 0 to 4 {
  } {thls.pipeline = #thls.pipeline<ii = 0>}
  return
}

// -----

func.func @zero_unroll() {
  // expected-error @+2 {{unroll factor must be at least 1, got 0}}
  affine.for %i = 0 to 4 {
  } {thls.unroll = #thls.unroll<factor = 0>}
  return
}

// -----

// A pipeline directive belongs on a loop.
func.func @pipeline_not_on_loop() {
  // expected-error @+1 {{'thls.pipeline' applies to a loop (affine.for or scf.for)}}
  %c = arith.constant {thls.pipeline = #thls.pipeline<ii = 1>} 0 : index
  return
}

// -----

// The directive attribute must have the right kind.
func.func @wrong_attr_kind() {
  // expected-error @+1 {{'thls.unroll' must be a #thls.unroll}}
  affine.for %i = 0 to 4 {
  } {thls.unroll = 4 : i64}
  return
}

// -----

// A partition names a dimension of the array.
func.func @partition_dim_out_of_range() {
  // expected-error @+1 {{partition dim 3 is out of range for a rank-2 array}}
  %a = memref.alloca() {thls.partition = #thls.partition<cyclic, factor = 2, dim = 3>} : memref<4x4xf32>
  return
}

// -----

func.func @partition_factor() {
  // expected-error @+1 {{a block partition needs a factor of at least 2, got 1}}
  %a = memref.alloca() {thls.partition = #thls.partition<block, factor = 1, dim = 1>} : memref<4x4xf32>
  return
}

// -----

// Ports are not partitioned: only on-chip arrays are.
func.func @partition_not_on_array(%a: memref<4xf32>) {
  // expected-error @+1 {{'thls.partition' applies to an on-chip array (memref.alloc or memref.alloca)}}
  %b = memref.cast %a {thls.partition = #thls.partition<complete, factor = 0, dim = 0>} : memref<4xf32> to memref<?xf32>
  return
}

// -----

// An m_axi port is an array.
// expected-error @+1 {{argument 0 is a scalar ('f32'); an m_axi port must be a memref}}
func.func @maxi_scalar(%x: f32 {thls.interface = #thls.interface<m_axi, bundle = "gmem0">}) {
  return
}

// -----

// expected-error @+1 {{argument 0 is an array; use m_axi, not s_axilite}}
func.func @axilite_array(%x: memref<4xf32> {thls.interface = #thls.interface<s_axilite>}) {
  return
}

// -----

// expected-error @+1 {{'thls.kernel' applies to a func.func}}
module attributes {thls.kernel} {
}

// -----

// expected-error @+1 {{unknown HLS directive 'thls.bogus'}}
func.func @unknown() attributes {thls.bogus} {
  return
}
