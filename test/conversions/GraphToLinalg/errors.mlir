// RUN: tessera-opt %s --split-input-file --verify-diagnostics --convert-graph-to-linalg

// A dynamic dimension in an operand cannot be lowered yet.
func.func @dynamic_operand(%a: tensor<?x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{dynamic shapes are not supported yet by the CPU lowering; fix the dimension with --shape NAME=DIMS}}
  %0 = tg.add %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// A dynamic result dimension is reported the same way, once per op.
func.func @dynamic_conv(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<?x4x6x6xf32> {
  // expected-error @+1 {{dynamic shapes are not supported yet by the CPU lowering}}
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x6x6xf32>
  // expected-error @+1 {{dynamic shapes are not supported yet by the CPU lowering}}
  %1 = tg.relu %0 : tensor<?x4x6x6xf32>
  return %1 : tensor<?x4x6x6xf32>
}

// -----

// Sigmoid has no integer lowering: the op stays illegal.
func.func @sigmoid_integer(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{failed to legalize operation 'tg.sigmoid' that was explicitly marked illegal}}
  %0 = tg.sigmoid %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Average pooling is defined on floating-point elements only.
func.func @average_pool_integer(%x: tensor<1x1x4x4xi32>) -> tensor<1x1x2x2xi32> {
  // expected-error @+1 {{failed to legalize operation 'tg.average_pool' that was explicitly marked illegal}}
  %0 = tg.average_pool %x {ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xi32>) -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}
