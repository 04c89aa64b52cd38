// RUN: tessera-opt %s --split-input-file --verify-diagnostics

// Axes are normalized by the importer: negative ones are rejected.
func.func @reduce_negative_axis(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{axis -1 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reduce_sum %x {axes = array<i64: -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_unsorted_axes(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  // expected-error @+2 {{axes must be sorted and distinct, got 1 before 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reduce_max %x {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// The written result type must be the reduced shape.
func.func @reduce_wrong_result(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{'tg.reduce_mean' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_bool(%x: tensor<2x3xi1>) -> tensor<2x1xi1> {
  // expected-error @+1 {{expects integer or floating-point elements}}
  %0 = tg.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3xi1>) -> tensor<2x1xi1>
  return %0 : tensor<2x1xi1>
}

// -----

func.func @reduce_runtime_axes_2d(%x: tensor<2x3xf32>, %a: tensor<1x1xi64>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'runtime_axes' must be a 1-D integer tensor}}
  %0 = tg.reduce_sum %x runtime_axes %a : tensor<1x1xi64> {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @arg_max_axis(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+2 {{axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.arg_max %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// Arg-reductions give i64 indices, not the input's element type.
func.func @arg_min_result(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<2x1xi64>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.arg_min %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @hardmax_int(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{expects floating-point elements}}
  %0 = tg.hardmax %x {axis = 1 : i64} : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @top_k_too_many(%x: tensor<3x4xf32>) -> (tensor<3x5xf32>, tensor<3x5xi64>) {
  // expected-error @+2 {{k = 5 is out of range [0, 4] of axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %v, %i = tg.top_k %x {axis = 1 : i64, k = 5 : i64} : (tensor<3x4xf32>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
  return %v, %i : tensor<3x5xf32>, tensor<3x5xi64>
}

// -----

func.func @top_k_runtime_k(%x: tensor<3x4xf32>, %k: tensor<2xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  // expected-error @+1 {{'runtime_k' must be an integer tensor of one element, got 'tensor<2xi64>'}}
  %v, %i = tg.top_k %x runtime_k %k : tensor<2xi64> {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

func.func @cumsum_no_axis(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{needs exactly one of the 'axis' attribute and the 'runtime_axis' operand}}
  %0 = tg.cumsum %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @cumsum_axis(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{axis 1 is out of range [0, 1)}}
  %0 = tg.cumsum %x {axis = 1 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
