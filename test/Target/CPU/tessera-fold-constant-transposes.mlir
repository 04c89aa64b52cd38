// RUN: tessera-opt %s --split-input-file --tessera-fold-constant-transposes | FileCheck %s

// A transposed dense constant becomes the transposed constant.
// CHECK-LABEL: func.func @dense
// CHECK:         %[[C:.+]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NOT:     linalg.transpose
// CHECK:         return %[[C]]
func.func @dense() -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  return %t : tensor<3x2xf32>
}

// -----

// A resource blob (large weights) of rank 3: result dim i is input dim
// permutation[i]. The blob holds i32 0..5 of shape 1x2x3, little endian.
// CHECK-LABEL: func.func @resource
// CHECK:         %[[C:.+]] = arith.constant dense_resource<transposed> : tensor<3x1x2xi32>
// CHECK:         return %[[C]]
// CHECK:       transposed: "0x{{[0-9A-F]}}{{[0-9A-F]}}000000000000000300000001000000040000000200000005000000"
func.func @resource() -> tensor<3x1x2xi32> {
  %w = arith.constant dense_resource<weights> : tensor<1x2x3xi32>
  %e = tensor.empty() : tensor<3x1x2xi32>
  %t = linalg.transpose ins(%w : tensor<1x2x3xi32>) outs(%e : tensor<3x1x2xi32>) permutation = [2, 0, 1]
  return %t : tensor<3x1x2xi32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x04000000000000000100000002000000030000000400000005000000"
    }
  }
#-}

// -----

// A transpose of a value computed at run time stays.
// CHECK-LABEL: func.func @not_constant
// CHECK:         linalg.transpose
func.func @not_constant(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  return %t : tensor<3x2xf32>
}
