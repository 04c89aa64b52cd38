// RUN: tessera-opt %s --split-input-file --verify-diagnostics

// Shape inference of the Graph dialect on values that overflow int64 (found
// with UBSan on IR from tessera-fuzz-ir): each is an error, not undefined
// behaviour.

// Huge dilation and pads: the window arithmetic is done in 128 bits.
func.func @conv_window_overflow(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{window of size 3 (dilation 4611686018427387904) does not fit spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 4611686018427387904, 1>, pads = array<i64: 9223372036854775807, 0, 9223372036854775807, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// Weight channels x group overflowing int64.
func.func @conv_group_overflow(%x: tensor<1x4x4x4xf32>, %w: tensor<1x4611686018427387904x3x3xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{input has 4 channels but weight expects 4611686018427387904 x group 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<1x4611686018427387904x3x3xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// Transposed convolution: output channels and spatial size overflowing.
func.func @conv_transpose_group_overflow(%x: tensor<1x4x3x3xf32>, %w: tensor<4x4611686018427387904x3x3xf32>) -> tensor<1x1x5x5xf32> {
  // expected-error @+2 {{weight dimension 1 (4611686018427387904) x group 4 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv_transpose %x, %w {dilations = array<i64: 1, 1>, group = 4 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<4x4611686018427387904x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

func.func @conv_transpose_size_overflow(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  // expected-error @+2 {{output size of spatial dimension 0 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 9223372036854775807, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

// A requested shape whose element count overflows int64 (tessera-fuzz-onnx).
func.func @reshape_overflow(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  // expected-error @+2 {{shape 2048x4611686018427387904 has more elements than int64 can count}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {shape = array<i64: 2048, 4611686018427387904>} : (tensor<2x3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// Tile repeats whose product with the dimension overflows int64.
func.func @tile_overflow(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{dimension 3 repeated 7349874591868649474 times overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.tile %x {repeats = array<i64: 7349874591868649474>} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Pads whose sum with the dimension overflows int64 (tessera-fuzz-onnx).
func.func @pad_overflow(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{pads 4611686018427387904+4611686018427387904 of dimension 0 overflow}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.pad %x {pads = array<i64: 4611686018427387904, 4611686018427387904>} : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
