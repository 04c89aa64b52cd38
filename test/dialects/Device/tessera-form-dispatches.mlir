// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tessera-form-dispatches))' | FileCheck %s

// A convolution takes its bias-like add and relu; the node name of the root
// names the dispatch.
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK: %[[D:.+]] = tdev.dispatch root("tg.conv") name("conv1") -> tensor<1x4x6x6xf32> {
// CHECK-NEXT: %[[C:.+]] = tg.conv
// CHECK-NEXT: %[[A:.+]] = tg.add %[[C]], %arg2
// CHECK-NEXT: %[[R:.+]] = tg.relu %[[A]]
// CHECK-NEXT: tdev.yield %[[R]] : tensor<1x4x6x6xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[D]]
func.func @conv_bias_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4x1x1xf32>) -> tensor<1x4x6x6xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> loc("conv1")
  %1 = tg.add %0, %b : (tensor<1x4x6x6xf32>, tensor<4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %2 = tg.relu %1 : tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// -----

// Residual block: the add takes the first dispatch's result as its other
// operand and joins the second convolution with the final relu.
// CHECK-LABEL: func.func @residual
// CHECK: %[[D0:.+]] = tdev.dispatch root("tg.conv")
// CHECK-NEXT: tg.conv %arg0
// CHECK-NEXT: %[[R0:.+]] = tg.relu
// CHECK-NEXT: tdev.yield %[[R0]]
// CHECK: %[[D1:.+]] = tdev.dispatch root("tg.conv")
// CHECK-NEXT: %[[C1:.+]] = tg.conv %[[D0]]
// CHECK-NEXT: %[[A:.+]] = tg.add %[[C1]], %[[D0]]
// CHECK-NEXT: %[[R1:.+]] = tg.relu %[[A]]
// CHECK-NEXT: tdev.yield %[[R1]]
// CHECK: return %[[D1]]
func.func @residual(%x: tensor<1x4x6x6xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
      : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = tg.relu %0 : tensor<1x4x6x6xf32>
  %2 = tg.conv %1, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
      : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %3 = tg.add %2, %1 : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %4 = tg.relu %3 : tensor<1x4x6x6xf32>
  return %4 : tensor<1x4x6x6xf32>
}

// -----

// A root whose result has two users fuses with neither: three dispatches.
// CHECK-LABEL: func.func @two_users
// CHECK: %[[M:.+]] = tdev.dispatch root("tg.matmul") -> tensor<4x8xf32> {
// CHECK-NEXT: tg.matmul
// CHECK-NEXT: tdev.yield
// CHECK: tdev.dispatch root("elementwise")
// CHECK-NEXT: tg.relu %[[M]]
// CHECK-NEXT: tdev.yield
// CHECK: tdev.dispatch root("elementwise")
// CHECK-NEXT: tg.sigmoid %[[M]]
// CHECK-NEXT: tdev.yield
func.func @two_users(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = tg.matmul %a, %b : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  %1 = tg.relu %0 : tensor<4x8xf32>
  %2 = tg.sigmoid %0 : tensor<4x8xf32>
  return %1, %2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A dequantized weight used only by a matmul is a producer of its dispatch;
// the constant operands stay outside.
// CHECK-LABEL: func.func @dequantize_matmul
// CHECK-DAG: %[[S:.+]] = tg.constant dense<5.000000e-01> : tensor<f32>
// CHECK-DAG: %[[Z:.+]] = tg.constant dense<0> : tensor<i8>
// CHECK: %[[D:.+]] = tdev.dispatch root("tg.matmul") -> tensor<4x8xf32> {
// CHECK-NEXT: %[[W:.+]] = tg.dequantize_linear %arg1, %[[S]], %[[Z]]
// CHECK-NEXT: %[[M:.+]] = tg.matmul %arg0, %[[W]]
// CHECK-NEXT: tdev.yield %[[M]]
// CHECK: return %[[D]]
func.func @dequantize_matmul(%a: tensor<4x16xf32>, %q: tensor<16x8xi8>) -> tensor<4x8xf32> {
  %s = tg.constant dense<0.5> : tensor<f32>
  %z = tg.constant dense<0> : tensor<i8>
  %w = tg.dequantize_linear %q, %s, %z : (tensor<16x8xi8>, tensor<f32>, tensor<i8>) -> tensor<16x8xf32>
  %0 = tg.matmul %a, %w : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// An elementwise op with no root to join gets a dispatch of its own.
// CHECK-LABEL: func.func @standalone_elementwise
// CHECK: %[[D:.+]] = tdev.dispatch root("elementwise") -> tensor<4xf32> {
// CHECK-NEXT: %[[E:.+]] = tg.exp %arg0
// CHECK-NEXT: tdev.yield %[[E]]
// CHECK: return %[[D]]
func.func @standalone_elementwise(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tg.exp %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Two single-use elementwise chains that meet in a binary op form one
// dispatch.
// CHECK-LABEL: func.func @elementwise_fan_in
// CHECK: tdev.dispatch root("elementwise") -> tensor<4xf32> {
// CHECK-NEXT: tg.exp %arg0
// CHECK-NEXT: tg.log %arg1
// CHECK-NEXT: tg.add
// CHECK-NEXT: tdev.yield
// CHECK-NOT: tdev.dispatch
func.func @elementwise_fan_in(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tg.exp %x : tensor<4xf32>
  %1 = tg.log %y : tensor<4xf32>
  %2 = tg.add %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// A reshape stays outside, between the dispatches of its producer and
// consumer; so does a data-movement op's own dispatch boundary.
// CHECK-LABEL: func.func @reshape_outside
// CHECK: %[[D0:.+]] = tdev.dispatch root("elementwise")
// CHECK-NEXT: tg.relu %arg0
// CHECK: %[[R:.+]] = tg.reshape %[[D0]]
// CHECK: %[[D1:.+]] = tdev.dispatch root("tg.transpose")
// CHECK-NEXT: %[[T:.+]] = tg.transpose %[[R]]
// CHECK-NEXT: %[[N:.+]] = tg.neg %[[T]]
// CHECK-NEXT: tdev.yield %[[N]]
// CHECK: return %[[D1]]
func.func @reshape_outside(%x: tensor<2x6xf32>) -> tensor<4x3xf32> {
  %0 = tg.relu %x : tensor<2x6xf32>
  %1 = tg.reshape %0 {shape = array<i64: 3, 4>} : (tensor<2x6xf32>) -> tensor<3x4xf32>
  %2 = tg.transpose %1 {perm = array<i64: 1, 0>} : (tensor<3x4xf32>) -> tensor<4x3xf32>
  %3 = tg.neg %2 : tensor<4x3xf32>
  return %3 : tensor<4x3xf32>
}

// -----

// The add's other operand is computed after the matmul: the dispatch is
// placed at its last member, after the transpose's dispatch.
// CHECK-LABEL: func.func @operand_defined_between
// CHECK: %[[T:.+]] = tdev.dispatch root("tg.transpose")
// CHECK: %[[D:.+]] = tdev.dispatch root("tg.matmul")
// CHECK-NEXT: %[[M:.+]] = tg.matmul %arg0, %arg1
// CHECK-NEXT: %[[A:.+]] = tg.add %[[M]], %[[T]]
// CHECK-NEXT: tdev.yield %[[A]]
// CHECK: return %[[D]], %[[T]]
func.func @operand_defined_between(%a: tensor<4x16xf32>, %b: tensor<16x4xf32>, %c: tensor<4x4xf32>)
    -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %0 = tg.matmul %a, %b : (tensor<4x16xf32>, tensor<16x4xf32>) -> tensor<4x4xf32>
  %1 = tg.transpose %c {perm = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %2 = tg.add %0, %1 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %2, %1 : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// An elementwise op between two roots is the epilogue of the first, not the
// prologue of the second.
// CHECK-LABEL: func.func @epilogue_before_prologue
// CHECK: %[[D0:.+]] = tdev.dispatch root("tg.matmul")
// CHECK-NEXT: tg.matmul
// CHECK-NEXT: tg.relu
// CHECK-NEXT: tdev.yield
// CHECK: tdev.dispatch root("tg.matmul")
// CHECK-NEXT: tg.matmul %[[D0]], %arg1
// CHECK-NEXT: tdev.yield
func.func @epilogue_before_prologue(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = tg.matmul %a, %b : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = tg.relu %0 : tensor<4x4xf32>
  %2 = tg.matmul %1, %b : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %2 : tensor<4x4xf32>
}

// -----

// An elementwise consumer that broadcasts the root's result to a larger
// shape is not fused: the dispatch keeps the root's iteration space.
// CHECK-LABEL: func.func @broadcasting_consumer
// CHECK: %[[P:.+]] = tdev.dispatch root("tg.global_average_pool")
// CHECK-NEXT: tg.global_average_pool
// CHECK-NEXT: tdev.yield
// CHECK: tdev.dispatch root("elementwise")
// CHECK-NEXT: tg.mul %arg0, %[[P]]
func.func @broadcasting_consumer(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %0 = tg.global_average_pool %x : (tensor<1x4x6x6xf32>) -> tensor<1x4x1x1xf32>
  %1 = tg.mul %x, %0 : (tensor<1x4x6x6xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  return %1 : tensor<1x4x6x6xf32>
}
