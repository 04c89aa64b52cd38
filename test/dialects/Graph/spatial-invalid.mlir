// RUN: tessera-opt %s --split-input-file --verify-diagnostics

// The weight of a transposed convolution is C x M/group x k...
func.func @conv_transpose_channels(%x: tensor<1x2x3x3xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  // expected-error @+2 {{input has 2 channels but the weight (C x M/group x k...) has 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<3x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  // expected-error @+2 {{'output_padding' needs 2 values, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

func.func @conv_transpose_pads_too_large(%x: tensor<1x1x1x1xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error @+2 {{pads 1+0 leave no output in spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 1, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  return %0 : tensor<1x1x1x1xf32>
}

// -----

func.func @resize_rank(%x: tensor<2x2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{result rank 1 differs from input rank 2}}
  %0 = tg.resize %x : (tensor<2x2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @resize_mode(%x: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{unknown mode 'bicubic' (expected nearest, linear or cubic)}}
  %0 = tg.resize %x {mode = "bicubic"} : (tensor<2x2xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @resize_linear_int(%x: tensor<2x2xi32>) -> tensor<4x4xi32> {
  // expected-error @+1 {{mode 'linear' needs floating-point elements}}
  %0 = tg.resize %x {mode = "linear"} : (tensor<2x2xi32>) -> tensor<4x4xi32>
  return %0 : tensor<4x4xi32>
}

// -----

func.func @resize_nearest_mode(%x: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{unknown nearest_mode 'round'}}
  %0 = tg.resize %x {nearest_mode = "round"} : (tensor<2x2xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @resize_scales_size(%x: tensor<2x2xf32>, %s: tensor<3xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'scales' must be a 1-D float tensor of 2 elements, got 'tensor<3xf32>'}}
  %0 = tg.resize %x scales %s : (tensor<2x2xf32>, tensor<3xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @resize_crop_without_roi(%x: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{coordinate_transformation_mode tf_crop_and_resize needs the 'roi' operand}}
  %0 = tg.resize %x {coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<2x2xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @einsum_implicit(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{equation 'i' must be explicit (terms->output)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.einsum %a {equation = "i"} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @einsum_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{letter 'j' has sizes 3 and 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @einsum_output_letter(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{output letter 'k' appears in no input term}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.einsum %a {equation = "ij->k"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
