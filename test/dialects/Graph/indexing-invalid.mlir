// RUN: tessera-opt %s --split-input-file --verify-diagnostics

// Inference errors are reported at the op, followed by the generic
// "failed to infer returned types"; verifier errors name the op.

// GatherElements' indices need the rank of the data.
func.func @gather_elements_rank(%d: tensor<3x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'indices' must have the rank of 'data' (2), got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gather_elements %d, %i : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

// Indices are integers.
func.func @gather_elements_float_indices(%d: tensor<3x4xf32>, %i: tensor<3x2xf32>) {
  // expected-error @+2 {{'indices' must hold integers, got 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gather_elements %d, %i : (tensor<3x4xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

// The axis must be in range.
func.func @scatter_elements_axis(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.scatter_elements %d, %i, %u {axis = 2 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Only none, add and mul combine updates.
func.func @scatter_elements_reduction(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) {
  // expected-error @+2 {{unknown reduction 'max' (expected none, add or mul)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.scatter_elements %d, %i, %u {reduction = "max"} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Updates are shaped like the indices.
func.func @scatter_elements_updates(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x3xf32>) {
  // expected-error @+2 {{'updates' must have the shape of 'indices' (3x2), got 3x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.scatter_elements %d, %i, %u : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Index tuples cannot be longer than the data's rank.
func.func @gather_nd_tuple(%d: tensor<2x3xf32>, %i: tensor<4x3xi64>) {
  // expected-error @+2 {{index tuples of size 3 after 0 batch dimensions exceed the rank of 'data' (2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gather_nd %d, %i : (tensor<2x3xf32>, tensor<4x3xi64>) -> tensor<4xf32>
  return
}

// -----

// Batch dimensions of data and indices agree.
func.func @gather_nd_batch(%d: tensor<2x3xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+2 {{batch dimension 0 differs: 2 in 'data' vs 3 in 'indices'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<2x3xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}

// -----

// ScatterND's updates are indices.shape[:-1] + data.shape[k:].
func.func @scatter_nd_updates(%d: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) {
  // expected-error @+2 {{'updates' must have the shape indices.shape[:-1] + data.shape[k:] (2x4), got 2x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.scatter_nd %d, %i, %u : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x4xf32>
  return
}

// -----

// Trilu works on matrices.
func.func @trilu_rank(%x: tensor<4xf32>) {
  // expected-error @+2 {{expects a rank >= 2 input, got rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.trilu %x : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Trilu's k is a rank-0 i64 tensor.
func.func @trilu_k(%x: tensor<4x4xf32>, %k: tensor<1xi64>) {
  // expected-error @+2 {{'k' must be a rank-0 tensor of i64, got 'tensor<1xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.trilu %x, %k : (tensor<4x4xf32>, tensor<1xi64>) -> tensor<4x4xf32>
  return
}

// -----

// OneHot's values are an (off, on) pair.
func.func @one_hot_values(%i: tensor<3xi64>, %v: tensor<3xf32>) {
  // expected-error @+2 {{'values' must be a 2-element 1-D tensor, got 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.one_hot %i, %v {depth = 4 : i64} : (tensor<3xi64>, tensor<3xf32>) -> tensor<3x4xf32>
  return
}

// -----

// The depth is positive.
func.func @one_hot_depth(%i: tensor<3xi64>, %v: tensor<2xf32>) {
  // expected-error @+2 {{'depth' must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.one_hot %i, %v {depth = 0 : i64} : (tensor<3xi64>, tensor<2xf32>) -> tensor<3x0xf32>
  return
}

// -----

// Range's operands are scalars of the result's element type.
func.func @range_operands(%s: tensor<f32>, %l: tensor<i64>) {
  // expected-error @+1 {{'tg.range' op 'limit' must be a rank-0 tensor of 'f32', got 'tensor<i64>'}}
  %0 = tg.range %s, %l, %s : (tensor<f32>, tensor<i64>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

// Range makes a 1-D tensor.
func.func @range_rank(%s: tensor<f32>) {
  // expected-error @+1 {{'tg.range' op expects a 1-D result, got rank 2}}
  %0 = tg.range %s, %s, %s : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<2x2xf32>
  return
}

// -----

// The target is the input's shape without the class dimension.
func.func @nll_target(%x: tensor<3x5x2xf32>, %t: tensor<3x5xi64>) {
  // expected-error @+2 {{'target' must have the shape of 'input' without dimension 1 (3x2), got 3x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.nll_loss %x, %t : (tensor<3x5x2xf32>, tensor<3x5xi64>) -> tensor<f32>
  return
}

// -----

// One weight per class.
func.func @nll_weight(%x: tensor<3x5xf32>, %t: tensor<3xi64>, %w: tensor<4xf32>) {
  // expected-error @+2 {{'weight' must hold one 'f32' per class (1-D, size 5), got 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.nll_loss %x, %t, %w : (tensor<3x5xf32>, tensor<3xi64>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

// Unknown reductions are rejected.
func.func @nll_reduction(%x: tensor<3x5xf32>, %t: tensor<3xi64>) {
  // expected-error @+2 {{unknown reduction 'max' (expected none, sum or mean)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.nll_loss %x, %t {reduction = "max"} : (tensor<3x5xf32>, tensor<3xi64>) -> tensor<f32>
  return
}
