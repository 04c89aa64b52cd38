// RUN: tessera-opt %s --canonicalize --split-input-file | FileCheck %s

// x + 0, 0 + x, x - 0, x * 1, 1 * x and x / 1 fold to x when the identity
// operand does not change the result shape.
// CHECK-LABEL: func.func @identity_operands
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT: tg.
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @identity_operands(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = tg.constant dense<0.0> : tensor<2x3xf32>
  %one = tg.constant dense<1.0> : tensor<3xf32>
  %0 = tg.add %x, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tg.add %zero, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = tg.sub %x, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = tg.mul %x, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = tg.mul %one, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = tg.div %x, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Integer identities fold too.
// CHECK-LABEL: func.func @integer_identity
// CHECK-SAME: (%[[X:.+]]: tensor<4xi64>)
// CHECK-NOT: tg.
// CHECK: return %[[X]], %[[X]]
func.func @integer_identity(%x: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi64>) {
  %zero = tg.constant dense<0> : tensor<4xi64>
  %one = tg.constant dense<1> : tensor<i64>
  %0 = tg.add %x, %zero : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = tg.mul %x, %one : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  return %0, %1 : tensor<4xi64>, tensor<4xi64>
}

// -----

// An identity operand that broadcasts x to a larger shape is not a no-op:
// the result has a different type than x, so nothing folds.
// CHECK-LABEL: func.func @broadcasting_identity_kept
// CHECK: tg.add %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: tg.mul %{{.*}}, %{{.*}} : (tensor<1x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
func.func @broadcasting_identity_kept(%x: tensor<3xf32>, %y: tensor<1x3xf32>)
    -> (tensor<2x3xf32>, tensor<4x3xf32>) {
  %zero = tg.constant dense<0.0> : tensor<2x3xf32>
  %one = tg.constant dense<1.0> : tensor<4x1xf32>
  %0 = tg.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tg.mul %y, %one : (tensor<1x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<4x3xf32>
}

// -----

// 0 - x and 1 / x are not identities.
// CHECK-LABEL: func.func @left_identity_not_commutative
// CHECK: tg.sub
// CHECK: tg.div
func.func @left_identity_not_commutative(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = tg.constant dense<0.0> : tensor<4xf32>
  %one = tg.constant dense<1.0> : tensor<4xf32>
  %0 = tg.sub %zero, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = tg.div %one, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Elementwise ops on small inline constants are evaluated.
// CHECK-LABEL: func.func @constant_fold
// CHECK-DAG: %[[ADD:.+]] = tg.constant dense<[4.000000e+00, 6.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[SUB:.+]] = tg.constant dense<-2.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[MUL:.+]] = tg.constant dense<[3.000000e+00, 8.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[DIV:.+]] = tg.constant dense<[3.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[SPLAT:.+]] = tg.constant dense<6.000000e+00> : tensor<2x2xf32>
// CHECK-NOT: tg.{{add|sub|mul|div}}
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[SPLAT]]
func.func @constant_fold() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2xf32>) {
  %a = tg.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = tg.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %s = tg.constant dense<2.0> : tensor<2x2xf32>
  %t = tg.constant dense<3.0> : tensor<2x2xf32>
  %0 = tg.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = tg.sub %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %2 = tg.mul %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %3 = tg.div %b, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %4 = tg.mul %s, %t : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2xf32>
}

// -----

// Integer constants fold for add, sub, mul and div (truncating toward
// zero); a division by a zero element is left to run time (undefined).
// CHECK-LABEL: func.func @integer_constant_fold
// CHECK-DAG: %[[SUM:.+]] = tg.constant dense<[11, 22]> : tensor<2xi32>
// CHECK-DAG: %[[PROD:.+]] = tg.constant dense<[10, 40]> : tensor<2xi32>
// CHECK-DAG: %[[Q:.+]] = tg.constant dense<[-3, 10]> : tensor<2xi32>
// CHECK: %[[BYZERO:.+]] = tg.div
// CHECK: return %[[SUM]], %[[PROD]], %[[Q]], %[[BYZERO]]
func.func @integer_constant_fold() -> (tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) {
  %a = tg.constant dense<[1, 2]> : tensor<2xi32>
  %b = tg.constant dense<[10, 20]> : tensor<2xi32>
  %m = tg.constant dense<[-10, 20]> : tensor<2xi32>
  %d = tg.constant dense<[3, 2]> : tensor<2xi32>
  %z = tg.constant dense<[3, 0]> : tensor<2xi32>
  %0 = tg.add %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %1 = tg.mul %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %2 = tg.div %m, %d : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %3 = tg.div %b, %z : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0, %1, %2, %3 : tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>
}

// -----

// Constants of different shapes would need a broadcast: not folded.
// CHECK-LABEL: func.func @broadcasting_constants_kept
// CHECK: tg.add
func.func @broadcasting_constants_kept() -> tensor<2x2xf32> {
  %a = tg.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = tg.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = tg.add %a, %b : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Resource-backed weights are never folded: that would copy the blob into a
// uniqued attribute. Neither constant evaluation nor a reshape folds them.
// CHECK-LABEL: func.func @resource_not_folded
// CHECK: %[[W:.+]] = tg.constant dense_resource<weight> : tensor<2x2xf32>
// CHECK: tg.add %[[W]], %[[W]]
// CHECK: tg.reshape %[[W]]
// CHECK: tg.transpose %[[W]]
func.func @resource_not_folded() -> (tensor<2x2xf32>, tensor<4xf32>, tensor<2x2xf32>) {
  %w = tg.constant dense_resource<weight> : tensor<2x2xf32>
  %0 = tg.add %w, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = tg.reshape %w {shape = array<i64: 4>} : (tensor<2x2xf32>) -> tensor<4xf32>
  %2 = tg.transpose %w {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<4xf32>, tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// An identity permutation is a no-op.
// CHECK-LABEL: func.func @identity_transpose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @identity_transpose(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = tg.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Two transposes compose into one: result dim i is x dim p1[p2[i]].
// CHECK-LABEL: func.func @transpose_chain
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[T:.+]] = tg.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_chain(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = tg.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = tg.transpose %0 {perm = array<i64: 1, 2, 0>} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// A transpose followed by its inverse disappears.
// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x9xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_inverse(%x: tensor<1x3x8x9xf32>) -> tensor<1x3x8x9xf32> {
  %0 = tg.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x8x9xf32>) -> tensor<1x8x9x3xf32>
  %1 = tg.transpose %0 {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x8x9x3xf32>) -> tensor<1x3x8x9xf32>
  return %1 : tensor<1x3x8x9xf32>
}

// -----

// Only the last of a chain of reshapes matters; its shape is spelled out.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[R:.+]] = tg.reshape %[[X]] {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = tg.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %1 = tg.reshape %0 {shape = array<i64: 4, -1>} : (tensor<2x12xf32>) -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// A merged shape with a zero-sized dimension keeps the zero literal
// (allowzero) instead of copying the input dimension.
// CHECK-LABEL: func.func @reshape_chain_zero_size
// CHECK-SAME: (%[[X:.+]]: tensor<2x0x3xf32>)
// CHECK: tg.reshape %[[X]] {allowzero = true, shape = array<i64: 0, 6>} : (tensor<2x0x3xf32>) -> tensor<0x6xf32>
func.func @reshape_chain_zero_size(%x: tensor<2x0x3xf32>) -> tensor<0x6xf32> {
  %0 = tg.reshape %x {allowzero = true, shape = array<i64: 6, 0>} : (tensor<2x0x3xf32>) -> tensor<6x0xf32>
  %1 = tg.reshape %0 {allowzero = true, shape = array<i64: 0, 6>} : (tensor<6x0xf32>) -> tensor<0x6xf32>
  return %1 : tensor<0x6xf32>
}

// -----

// A chain that ends in a dynamic shape is kept: the final shape cannot be
// spelled as constants.
// CHECK-LABEL: func.func @reshape_chain_dynamic
// CHECK: tg.reshape
// CHECK: tg.reshape
func.func @reshape_chain_dynamic(%x: tensor<?x3x4xf32>) -> tensor<?x4xf32> {
  %0 = tg.reshape %x {shape = array<i64: 0, 12>} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  %1 = tg.reshape %0 {shape = array<i64: -1, 4>} : (tensor<?x12xf32>) -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

// Reshape and flatten to the input's own type are no-ops.
// CHECK-LABEL: func.func @same_type_reshape_flatten
// CHECK-SAME: (%[[X:.+]]: tensor<2x12xf32>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @same_type_reshape_flatten(%x: tensor<2x12xf32>) -> (tensor<2x12xf32>, tensor<2x12xf32>) {
  %0 = tg.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x12xf32>) -> tensor<2x12xf32>
  %1 = tg.flatten %x : (tensor<2x12xf32>) -> tensor<2x12xf32>
  return %0, %1 : tensor<2x12xf32>, tensor<2x12xf32>
}

// -----

// Reshape and flatten of a small inline constant produce a new constant.
// CHECK-LABEL: func.func @reshape_constant
// CHECK-DAG: %[[R:.+]] = tg.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[F:.+]] = tg.constant dense<{{\[}}[1, 2, 3, 4]]> : tensor<1x4xi32>
// CHECK: return %[[R]], %[[F]]
func.func @reshape_constant() -> (tensor<2x2xf32>, tensor<1x4xi32>) {
  %c = tg.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %i = tg.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %0 = tg.reshape %c {shape = array<i64: 2, 2>} : (tensor<4xf32>) -> tensor<2x2xf32>
  %1 = tg.flatten %i {axis = 0 : i64} : (tensor<2x2xi32>) -> tensor<1x4xi32>
  return %0, %1 : tensor<2x2xf32>, tensor<1x4xi32>
}

// -----

// A concat of one input is that input.
// CHECK-LABEL: func.func @single_input_concat
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @single_input_concat(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tg.concat %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A clip without bounds does nothing; with a bound it stays.
// CHECK-LABEL: func.func @clip
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[C:.+]] = tg.clip %[[X]] {min = 0.000000e+00 : f64}
// CHECK-NEXT: return %[[X]], %[[C]]
func.func @clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = tg.clip %x : tensor<4xf32>
  %1 = tg.clip %x {min = 0.0 : f64} : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A dynamic_reshape whose shape is a constant becomes a tg.reshape; with a
// shape that does not denote the result, or a run-time shape, it stays.
// CHECK-LABEL: func.func @dynamic_reshape_constant
// CHECK: tg.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK: tg.dynamic_reshape
// CHECK: tg.dynamic_reshape
func.func @dynamic_reshape_constant(%x: tensor<2x3x4xf32>, %s: tensor<2xi64>)
    -> (tensor<2x12xf32>, tensor<2x12xf32>, tensor<2x12xf32>) {
  %c = tg.constant dense<[0, -1]> : tensor<2xi64>
  %0 = tg.dynamic_reshape %x, %c : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  %w = tg.constant dense<[3, 8]> : tensor<2xi64>
  %1 = tg.dynamic_reshape %x, %w : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  %2 = tg.dynamic_reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  return %0, %1, %2 : tensor<2x12xf32>, tensor<2x12xf32>, tensor<2x12xf32>
}

// -----

// A cast to the input's own type folds away.
// CHECK-LABEL: func.func @cast_same_type
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NOT: tg.cast
// CHECK: return %[[X]]
func.func @cast_same_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tg.cast %x : tensor<4xf32> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Small constants concatenate at compile time (shape computations).
// CHECK-LABEL: func.func @concat_constant_fold
// CHECK: %[[C:.+]] = tg.constant dense<{{\[}}[1, 2, 5], [3, 4, 6]]> : tensor<2x3xi64>
// CHECK: return %[[C]]
func.func @concat_constant_fold() -> tensor<2x3xi64> {
  %a = tg.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %b = tg.constant dense<[[5], [6]]> : tensor<2x1xi64>
  %0 = tg.concat %a, %b {axis = 1 : i64} : (tensor<2x2xi64>, tensor<2x1xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @neg_constant_fold
// CHECK: %[[C:.+]] = tg.constant dense<[1, -2]> : tensor<2xi64>
// CHECK: return %[[C]]
func.func @neg_constant_fold() -> tensor<2xi64> {
  %a = tg.constant dense<[-1, 2]> : tensor<2xi64>
  %0 = tg.neg %a : tensor<2xi64>
  return %0 : tensor<2xi64>
}
