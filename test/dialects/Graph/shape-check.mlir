// tg.shape_check, tg.dynamic_slice and tg.dynamic_pad: round trip, verifier, and the lowering to run-time checks.

// RUN: tessera-opt %s --split-input-file --verify-diagnostics | FileCheck %s
// RUN: tessera-opt %s --split-input-file --verify-diagnostics --convert-graph-to-linalg | FileCheck %s --check-prefix=LOWER

// CHECK-LABEL: func.func @tile
// CHECK: tg.shape_check %arg0 {input_shape = array<i64: 2, 3>, kind = "tile", operand_name = "repeats", result_shape = array<i64: 4, 3>} : tensor<2xi64>
// LOWER-LABEL: func.func @tile
// LOWER: %[[R0:.+]] = tensor.extract %arg0[%{{.+}}] : tensor<2xi64>
// LOWER: arith.cmpi eq, %[[R0]], %{{.+}} : i64
// LOWER: scf.if
// LOWER: llvm.call @tessera_rt_set_error
// LOWER-NOT: tg.shape_check
func.func @tile(%repeats: tensor<2xi64>) {
  tg.shape_check %repeats {kind = "tile", input_shape = array<i64: 2, 3>,
      result_shape = array<i64: 4, 3>, operand_name = "repeats"} : tensor<2xi64>
  return
}

// -----

// CHECK-LABEL: func.func @unsqueeze
// LOWER-LABEL: func.func @unsqueeze
// LOWER: scf.if
func.func @unsqueeze(%axes: tensor<2xi32>) {
  tg.shape_check %axes {kind = "unsqueeze", input_shape = array<i64: 3>,
      result_shape = array<i64: 1, 3, 1>, operand_name = "axes"} : tensor<2xi32>
  return
}

// -----

func.func @bad_kind(%s: tensor<2xi64>) {
  // expected-error @+1 {{unknown kind 'broadcast' (expected equals, tile, expand, unsqueeze or squeeze)}}
  tg.shape_check %s {kind = "broadcast", input_shape = array<i64: 2, 3>,
      result_shape = array<i64: 2, 3>, operand_name = "s"} : tensor<2xi64>
  return
}

// -----

func.func @bad_rank(%axes: tensor<2xi64>) {
  // expected-error @+1 {{'unsqueeze' expects result rank = input rank + length, got an operand of 2 elements, input rank 1 and result rank 2}}
  tg.shape_check %axes {kind = "unsqueeze", input_shape = array<i64: 3>,
      result_shape = array<i64: 1, 3>, operand_name = "axes"} : tensor<2xi64>
  return
}

// -----

func.func @not_1d(%s: tensor<2x2xi64>) {
  // expected-error @+1 {{expects a 1-D integer operand of static length, got 'tensor<2x2xi64>'}}
  tg.shape_check %s {kind = "equals", input_shape = array<i64>,
      result_shape = array<i64: 2, 2>, operand_name = "s"} : tensor<2x2xi64>
  return
}

// -----

// CHECK-LABEL: func.func @dynamic_slice
// CHECK: tg.dynamic_slice %arg0, %arg1, %arg2 steps %arg3 : (tensor<5x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x4xf32>
// LOWER-LABEL: func.func @dynamic_slice
// LOWER: arith.ceildivsi
// LOWER: llvm.call @tessera_rt_set_error
// LOWER: linalg.generic
// LOWER: linalg.index 0
// LOWER: tensor.extract %arg0
func.func @dynamic_slice(%x: tensor<5x4xf32>, %s: tensor<2xi64>, %e: tensor<2xi64>,
                         %st: tensor<2xi64>) -> tensor<2x4xf32> {
  %y = tg.dynamic_slice %x, %s, %e steps %st
       : (tensor<5x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @dynamic_slice_lengths(%x: tensor<5x4xf32>, %s: tensor<2xi64>, %e: tensor<1xi64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{starts/ends/axes/steps differ in length}}
  %y = tg.dynamic_slice %x, %s, %e : (tensor<5x4xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic_pad
// CHECK: tg.dynamic_pad %arg0, %arg1, %arg2 : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>) -> tensor<3x7xf32>
// LOWER-LABEL: func.func @dynamic_pad
// LOWER: llvm.call @tessera_rt_set_error
// LOWER: linalg.generic
// LOWER: arith.select
func.func @dynamic_pad(%x: tensor<3x4xf32>, %pads: tensor<4xi64>, %v: tensor<f32>) -> tensor<3x7xf32> {
  %y = tg.dynamic_pad %x, %pads, %v : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>) -> tensor<3x7xf32>
  return %y : tensor<3x7xf32>
}

// -----

func.func @dynamic_pad_length(%x: tensor<3x4xf32>, %pads: tensor<2xi64>) -> tensor<3x7xf32> {
  // expected-error @+1 {{expects 1-D integer pads of length 4, got 'tensor<2xi64>'}}
  %y = tg.dynamic_pad %x, %pads : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x7xf32>
  return %y : tensor<3x7xf32>
}
