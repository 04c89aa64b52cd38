// RUN: tessera-opt %s --split-input-file --verify-diagnostics

// Inference errors are reported at the op, followed by the generic
// "failed to infer returned types"; verifier errors name the op.

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

// The value's type must be the result type.
func.func @constant_type_mismatch() -> tensor<4xf32> {
  // expected-error @+1 {{failed to verify that all of {value, result} have same type}}
  %0 = "tg.constant"() {value = dense<1.0> : tensor<3xf32>} : () -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

// Static dimensions that differ and are not 1 do not broadcast.
func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{operand shapes 2x3 and 4 are not broadcastable}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Broadcasting is checked on every aligned dimension, not only the last.
func.func @mul_not_broadcastable(%a: tensor<2x3x4xf32>, %b: tensor<5x1x4xf32>) {
  // expected-error @+2 {{operand shapes 2x3x4 and 5x1x4 are not broadcastable}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.mul %a, %b : (tensor<2x3x4xf32>, tensor<5x1x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

// Operands must share an element type (ONNX has no implicit promotion).
func.func @sub_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+2 {{operand element types differ: 'f32' vs 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.sub %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// Arithmetic is defined on integers and floats only.
func.func @div_complex(%a: tensor<4xcomplex<f32>>) {
  // expected-error @+1 {{'tg.div' op expects integer or floating-point elements}}
  %0 = tg.div %a, %a : (tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>>
  return
}

// -----

// A written result shape must agree with the inferred one.
func.func @add_wrong_result(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'tg.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// ... and so must a written element type.
func.func @add_wrong_result_element(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'tg.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf16>
  return
}

// -----

// ... and a written rank.
func.func @matmul_wrong_result_rank(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>) {
  // expected-error @+2 {{'tg.matmul' op inferred type(s) 'tensor<4x2xf32>' are incompatible with return type(s) of operation 'tensor<1x4x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.matmul %a, %b : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<1x4x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

// Unary ops keep their operand type.
func.func @relu_result_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'tg.relu' op requires the same type for all operands and results}}
  %0 = "tg.relu"(%a) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

// The input needs a batch, a channel and at least one spatial dimension.
func.func @conv_rank(%x: tensor<3x8xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+2 {{expects an N x C x spatial input, got rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64>, pads = array<i64>, strides = array<i64>}
       : (tensor<3x8xf32>, tensor<4x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+2 {{weight rank 3 differs from input rank 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_element_types(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error @+2 {{input and weight element types differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Input channels must be the weight's channels times the group count.
func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{input has 3 channels but weight expects 2 x group 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// A grouped conv checks channels against weight channels x group.
func.func @conv_group_channels(%x: tensor<1x8x8x8xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @+2 {{input has 8 channels but weight expects 2 x group 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x8x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

// Output channels must split evenly into groups.
func.func @conv_group_out_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+2 {{output channels 6 are not divisible by group 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_group_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'group' must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, group = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// The bias has one value per output channel.
func.func @conv_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{bias must be 1-D of size 4, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+2 {{bias must be 1-D of size 4, got 1x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @+2 {{bias element type 'f16' differs from input element type 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_dynamic_kernel(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x?x3xf32>) {
  // expected-error @+2 {{kernel sizes must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x?x3xf32>) -> tensor<1x4x?x6xf32>
  return
}

// -----

// One stride per spatial dimension.
func.func @conv_strides_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strides' needs 2 values, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Pads hold the begin and the end pad of every spatial dimension.
func.func @conv_pads_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'pads' needs 4 values, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_dilations_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'dilations' needs 2 values, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strides' values must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 0>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'pads' values must be >= 0, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, -1, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_dilation_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'dilations' values must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// The (dilated) window must fit into the padded input.
func.func @conv_window_too_big(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x5x5xf32>) {
  // expected-error @+2 {{window of size 5 (dilation 1) does not fit spatial dimension 0 of size 4 with pads 0+0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x4x4xf32>, tensor<4x3x5x5xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

// Dilation 3 stretches a 3-wide kernel over 7 positions.
func.func @conv_dilated_window_too_big(%x: tensor<1x3x8x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{window of size 3 (dilation 3) does not fit spatial dimension 1 of size 6 with pads 0+0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x2x1xf32>
  return
}

// -----

// A wrong written spatial size is caught against the inferred one.
func.func @conv_wrong_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'tg.conv' op inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

func.func @matmul_contracting(%a: tensor<4x8xf32>, %b: tensor<7x2xf32>) {
  // expected-error @+2 {{contracting dimensions differ: 4x8 x 7x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.matmul %a, %b : (tensor<4x8xf32>, tensor<7x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

// A 1-D left operand contracts its only dimension.
func.func @matmul_vector_contracting(%a: tensor<8xf32>, %b: tensor<7x2xf32>) {
  // expected-error @+2 {{contracting dimensions differ: 8 x 7x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.matmul %a, %b : (tensor<8xf32>, tensor<7x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<3x4x8xf32>, %b: tensor<5x8x2xf32>) {
  // expected-error @+2 {{batch dimensions of 3x4x8 and 5x8x2 are not broadcastable}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.matmul %a, %b : (tensor<3x4x8xf32>, tensor<5x8x2xf32>) -> tensor<3x4x2xf32>
  return
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<8x2xf32>) {
  // expected-error @+2 {{operands must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.matmul %a, %b : (tensor<f32>, tensor<8x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @matmul_element_types(%a: tensor<4x8xf32>, %b: tensor<8x2xi32>) {
  // expected-error @+2 {{operand element types differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.matmul %a, %b : (tensor<4x8xf32>, tensor<8x2xi32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<2x4x8xf32>, %b: tensor<8x2xf32>) {
  // expected-error @+2 {{A and B must be 2-D}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gemm %a, %b : (tensor<2x4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gemm_element_types(%a: tensor<4x8xf32>, %b: tensor<8x2xf16>) {
  // expected-error @+2 {{operand element types differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gemm %a, %b : (tensor<4x8xf32>, tensor<8x2xf16>) -> tensor<4x2xf32>
  return
}

// -----

// trans_b: B is N x K, so K is its second dimension.
func.func @gemm_contracting(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>) {
  // expected-error @+2 {{contracting dimensions differ: 8 vs 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gemm %a, %b {trans_b = true} : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x8xf32>
  return
}

// -----

// C broadcasts only towards M x N (unidirectionally).
func.func @gemm_c_not_broadcastable(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<3xf32>) {
  // expected-error @+2 {{C of shape 3 does not broadcast to 4x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x2xf32>, tensor<3xf32>) -> tensor<4x2xf32>
  return
}

// -----

// C may not grow the result: 5x2 does not fit a 1x2 result.
func.func @gemm_c_larger(%a: tensor<1x8xf32>, %b: tensor<8x2xf32>, %c: tensor<5x2xf32>) {
  // expected-error @+2 {{C of shape 5x2 does not broadcast to 1x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gemm %a, %b, %c : (tensor<1x8xf32>, tensor<8x2xf32>, tensor<5x2xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @gemm_c_rank(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<1x4x2xf32>) {
  // expected-error @+2 {{C of shape 1x4x2 does not broadcast to 4x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x2xf32>, tensor<1x4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gemm_c_element_type(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<2xf16>) {
  // expected-error @+2 {{C element type 'f16' differs from 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x2xf32>, tensor<2xf16>) -> tensor<4x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// kernel_shape fixes the number of spatial dimensions.
func.func @max_pool_rank(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{expects an N x C x spatial input with 2 spatial dimensions, got rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8xf32>) -> tensor<1x3x7xf32>
  return
}

// -----

func.func @average_pool_no_spatial(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{expects an N x C x spatial input with 0 spatial dimensions, got rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.average_pool %x {dilations = array<i64>, kernel_shape = array<i64>, pads = array<i64>, strides = array<i64>}
       : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @max_pool_kernel_zero(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'kernel_shape' values must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x8xf32>
  return
}

// -----

func.func @max_pool_strides_count(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'strides' needs 2 values, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1, 1>}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @average_pool_pads_count(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'pads' needs 4 values, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.average_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @max_pool_window_too_big(%x: tensor<1x3x8x2xf32>) {
  // expected-error @+2 {{window of size 3 (dilation 1) does not fit spatial dimension 1 of size 2 with pads 0+0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x8x2xf32>) -> tensor<1x3x6x1xf32>
  return
}

// -----

// ceil_mode changes the inferred size: 5 with kernel 2, stride 2 gives 3.
func.func @max_pool_ceil_wrong_result(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+2 {{'tg.max_pool' op inferred type(s) 'tensor<1x3x3x3xf32>' are incompatible with return type(s) of operation 'tensor<1x3x2x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.max_pool %x {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
       : (tensor<1x3x5x5xf32>) -> tensor<1x3x2x2xf32>
  return
}

// -----

func.func @global_average_pool_rank(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{expects an N x C x spatial input, got rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.global_average_pool %x : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

func.func @batch_norm_rank(%x: tensor<8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{'tg.batch_norm' op expects an N x C x ... input, got rank 1}}
  %0 = tg.batch_norm %x, %p, %p, %p, %p
       : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

// Per-channel parameters have one value per channel (dimension 1).
func.func @batch_norm_param_size(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %q: tensor<8xf32>) {
  // expected-error @+1 {{'tg.batch_norm' op expects 4 per-channel values, got 8}}
  %0 = tg.batch_norm %x, %p, %p, %q, %p
       : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @batch_norm_param_rank(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %q: tensor<1x4xf32>) {
  // expected-error @+1 {{'tg.batch_norm' op expects 1-D per-channel parameters, got rank 2}}
  %0 = tg.batch_norm %x, %q, %p, %p, %p
       : (tensor<1x4x8x8xf32>, tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{'tg.softmax' op axis 2 is out of range for rank 2}}
  %0 = tg.softmax %x {axis = 2 : i64} : tensor<2x10xf32>
  return
}

// -----

func.func @softmax_negative_axis(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{'tg.softmax' op axis -3 is out of range for rank 2}}
  %0 = tg.softmax %x {axis = -3 : i64} : tensor<2x10xf32>
  return
}

// -----

func.func @softmax_integer(%x: tensor<2x10xi32>) {
  // expected-error @+1 {{'tg.softmax' op expects floating-point elements}}
  %0 = tg.softmax %x : tensor<2x10xi32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{'tg.log_softmax' op axis 5 is out of range for rank 2}}
  %0 = tg.log_softmax %x {axis = 5 : i64} : tensor<2x10xf32>
  return
}

// -----

func.func @log_softmax_integer(%x: tensor<2x10xi8>) {
  // expected-error @+1 {{'tg.log_softmax' op expects floating-point elements}}
  %0 = tg.log_softmax %x : tensor<2x10xi8>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

func.func @reshape_element_count(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{cannot reshape 2x3x4 (24 elements) to 5x5 (25 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {shape = array<i64: 5, 5>} : (tensor<2x3x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

// -1 must divide the element count evenly.
func.func @reshape_infer_indivisible(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{cannot reshape 2x3x4 to 5x-1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {shape = array<i64: 5, -1>} : (tensor<2x3x4xf32>) -> tensor<5x?xf32>
  return
}

// -----

func.func @reshape_two_inferred(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{shape has more than one -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {shape = array<i64: -1, -1>} : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_invalid_dim(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{shape has invalid dimension -2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {shape = array<i64: -2, 12>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return
}

// -----

// 0 copies the input dimension at the same index, which must exist.
func.func @reshape_zero_beyond_rank(%x: tensor<24xf32>) {
  // expected-error @+2 {{shape copies dimension 1 (0) but the input has rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {shape = array<i64: 24, 0>} : (tensor<24xf32>) -> tensor<24x1xf32>
  return
}

// -----

// With allowzero a 0 is a literal size, so the element counts differ.
func.func @reshape_allowzero(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{cannot reshape 2x3 (6 elements) to 0x6 (0 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {allowzero = true, shape = array<i64: 0, 6>} : (tensor<2x3xf32>) -> tensor<0x6xf32>
  return
}

// -----

func.func @reshape_wrong_result(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'tg.reshape' op inferred type(s) 'tensor<2x12xf32>' are incompatible with return type(s) of operation 'tensor<12x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<12x2xf32>
  return
}

// -----

// Flatten accepts an axis in [-rank, rank].
func.func @flatten_axis(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axis 4 is out of range for rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.flatten %x {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return
}

// -----

func.func @flatten_negative_axis(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axis -4 is out of range for rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.flatten %x {axis = -4 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  return
}

// -----

func.func @transpose_perm_size(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{perm has 2 entries for rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return
}

// -----

func.func @transpose_duplicate(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{perm is not a permutation}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.transpose %x {perm = array<i64: 0, 1, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x3xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{perm is not a permutation}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.transpose %x {perm = array<i64: 0, 3, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+2 {{expects at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Dimensions other than the axis must agree.
func.func @concat_dim_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{inputs differ in dimension 1 (3 vs 4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_rank_mismatch(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{inputs differ in rank or element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) {
  // expected-error @+2 {{inputs differ in rank or element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @dynamic_reshape_count(%x: tensor<2x3xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'tg.dynamic_reshape' op cannot reshape 2x3 (6 elements) to 4x2 (8 elements)}}
  %0 = tg.dynamic_reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return
}

// -----

func.func @dynamic_reshape_shape_length(%x: tensor<2x3xf32>, %s: tensor<3xi64>) {
  // expected-error @+1 {{'tg.dynamic_reshape' op shape has 3 elements but the result has rank 2}}
  %0 = tg.dynamic_reshape %x, %s : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<3x2xf32>
  return
}

// -----

func.func @dynamic_reshape_shape_type(%x: tensor<2x3xf32>, %s: tensor<2xi32>) {
  // expected-error @+1 {{'tg.dynamic_reshape' op expects a 1-D i64 shape, got 'tensor<2xi32>'}}
  %0 = tg.dynamic_reshape %x, %s : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @dynamic_reshape_element_type(%x: tensor<2x3xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'tg.dynamic_reshape' op result element type 'f16' differs from the input's 'f32'}}
  %0 = tg.dynamic_reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf16>
  return
}

// -----

func.func @clip_bound_not_scalar(%x: tensor<4xf32>, %lo: tensor<1xf32>) {
  // expected-error @+1 {{'tg.clip' op 'lower' must be a rank-0 tensor of 'f32', got 'tensor<1xf32>'}}
  %0 = tg.clip %x lower %lo : tensor<1xf32> : tensor<4xf32>
  return
}

// -----

func.func @clip_bound_twice(%x: tensor<4xf32>, %hi: tensor<f32>) {
  // expected-error @+1 {{'tg.clip' op has both an 'upper' operand and the matching attribute}}
  %0 = tg.clip %x upper %hi : tensor<f32> {max = 1.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @exp_integer(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tg.exp' op expects floating-point elements}}
  %0 = tg.exp %x : tensor<4xi32>
  return
}

// -----

func.func @is_nan_integer(%x: tensor<4xi32>) {
  // expected-error @+2 {{expects floating-point elements, got 'i32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.is_nan %x : (tensor<4xi32>) -> tensor<4xi1>
  return
}

// -----

func.func @is_inf_result(%x: tensor<4xf32>) {
  // expected-error @+2 {{'tg.is_inf' op inferred type(s) 'tensor<4xi1>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.is_inf %x : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @mod_float_without_fmod(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tg.mod' op floating-point elements need fmod = true}}
  %0 = tg.mod %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @prelu_slope_too_big(%x: tensor<3xf32>, %s: tensor<2x3xf32>) {
  // expected-error @+1 {{'tg.prelu' op slope of shape 2x3 does not broadcast to the input's shape 3}}
  %0 = tg.prelu %x, %s : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @compare_result(%x: tensor<4xf32>) {
  // expected-error @+2 {{'tg.less' op inferred type(s) 'tensor<4xi1>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.less %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @and_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tg.and' op expects i1 elements}}
  %0 = tg.and %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @not_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tg.not' op expects i1 elements}}
  %0 = tg.not %x : tensor<4xf32>
  return
}

// -----

func.func @where_condition(%c: tensor<4xf32>, %x: tensor<4xf32>) {
  // expected-error @+2 {{condition must have i1 elements, got 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.where %c, %x, %x : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @where_shapes(%c: tensor<2xi1>, %x: tensor<3xf32>) {
  // expected-error @+2 {{operand shapes 2, 3 and 3 are not broadcastable}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.where %c, %x, %x : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @pow_bool(%x: tensor<4xf32>, %b: tensor<4xi1>) {
  // expected-error @+1 {{'tg.pow' op expects integer or floating-point elements, got 'i1'}}
  %0 = tg.pow %x, %b : (tensor<4xf32>, tensor<4xi1>) -> tensor<4xf32>
  return
}

// -----

func.func @cast_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tg.cast' op result shape 2x2 differs from the input shape 4}}
  %0 = tg.cast %x : tensor<4xf32> to tensor<2x2xi32>
  return
}

// -----

func.func @expand_not_broadcastable(%x: tensor<3xf32>) {
  // expected-error @+2 {{input shape 3 does not broadcast to 2x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.expand %x {shape = array<i64: 2, 4>} : (tensor<3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @tile_repeats(%x: tensor<3xf32>) {
  // expected-error @+2 {{'repeats' needs 1 values, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.tile %x {repeats = array<i64: 2, 4>} : (tensor<3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @slice_not_normalized(%x: tensor<4xf32>) {
  // expected-error @+2 {{dimension 0: start -1, end 4 and step 1 are not normalized for size 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.slice %x {ends = array<i64: 4>, starts = array<i64: -1>, steps = array<i64: 1>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_axis(%x: tensor<5xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{axis 1 is out of range for rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gather %x, %i {axis = 1 : i64} : (tensor<5xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_float_indices(%x: tensor<5xf32>, %i: tensor<2xf32>) {
  // expected-error @+2 {{indices must be integers, got 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gather %x, %i : (tensor<5xf32>, tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<4xf32>) {
  // expected-error @+2 {{unknown mode 'wrap' (expected constant, reflect or edge)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.pad %x {mode = "wrap", pads = array<i64: 1, 1>} : (tensor<4xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @pad_reflect_too_big(%x: tensor<4xf32>) {
  // expected-error @+2 {{pads 4+0 are too large for 'reflect' padding of dimension 0 of size 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.pad %x {mode = "reflect", pads = array<i64: 4, 0>} : (tensor<4xf32>) -> tensor<8xf32>
  return
}
