// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// 2-D x 2-D: linalg.matmul into a zero-filled accumulator.
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME:    (%[[A:.+]]: tensor<3x4xf32>, %[[B:.+]]: tensor<4x5xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK:         return %[[MM]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = tg.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Batched x 2-D: the batch folds into the rows of one linalg.matmul.
// CHECK-LABEL: func.func @matmul_batch_by_matrix
// CHECK:         %[[ROWS:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[ROWS]], %{{.+}} : tensor<6x4xf32>, tensor<4x5xf32>)
// CHECK:         tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [2, 3, 5]
func.func @matmul_batch_by_matrix(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = tg.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Equal batch dimensions: collapsed into one and linalg.batch_matmul.
// CHECK-LABEL: func.func @matmul_equal_batch
// CHECK:         %[[A3:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<2x3x3x4xf32> into tensor<6x3x4xf32>
// CHECK:         %[[B3:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<2x3x4x5xf32> into tensor<6x4x5xf32>
// CHECK:         %[[BMM:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<6x3x4xf32>, tensor<6x4x5xf32>)
// CHECK:         tensor.expand_shape %[[BMM]] {{\[}}[0, 1], [2], [3]] output_shape [2, 3, 3, 5]
func.func @matmul_equal_batch(%a: tensor<2x3x3x4xf32>, %b: tensor<2x3x4x5xf32>) -> tensor<2x3x3x5xf32> {
  %0 = tg.matmul %a, %b : (tensor<2x3x3x4xf32>, tensor<2x3x4x5xf32>) -> tensor<2x3x3x5xf32>
  return %0 : tensor<2x3x3x5xf32>
}

// -----

// Broadcasting batch dimensions: a generic contraction; the unit batch
// dimension of the lhs is collapsed away instead of indexed with 0.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK:         %[[A:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<2x1x3x4xf32> into tensor<2x3x4xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]], %{{.+}} : tensor<2x3x4xf32>, tensor<3x4x5xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @matmul_broadcast_batch(%a: tensor<2x1x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x3x5xf32> {
  %0 = tg.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x3x5xf32>
  return %0 : tensor<2x3x3x5xf32>
}

// -----

// A 1-D lhs is promoted to 1 x K and the unit row dropped from the result.
// CHECK-LABEL: func.func @matmul_vector_matrix
// CHECK:         %[[ROW:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[ROW]], %{{.+}} : tensor<1x4xf32>, tensor<4x5xf32>)
// CHECK:         tensor.collapse_shape %[[MM]] {{\[}}[0, 1]] : tensor<1x5xf32> into tensor<5xf32>
func.func @matmul_vector_matrix(%a: tensor<4xf32>, %b: tensor<4x5xf32>) -> tensor<5xf32> {
  %0 = tg.matmul %a, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// Vector dot product: the result is rank 0.
// CHECK-LABEL: func.func @matmul_dot
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<1x4xf32>, tensor<4x1xf32>)
// CHECK:         tensor.collapse_shape %[[MM]] [] : tensor<1x1xf32> into tensor<f32>
func.func @matmul_dot(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<f32> {
  %0 = tg.matmul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Integer matmul keeps the element type.
// CHECK-LABEL: func.func @matmul_i32
// CHECK:         arith.constant 0 : i32
// CHECK:         linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<3x4xi32>, tensor<4x2xi32>) outs(%{{.+}} : tensor<3x2xi32>)
func.func @matmul_i32(%a: tensor<3x4xi32>, %b: tensor<4x2xi32>) -> tensor<3x2xi32> {
  %0 = tg.matmul %a, %b : (tensor<3x4xi32>, tensor<4x2xi32>) -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// Gemm with both transposes and alpha = beta = 1: linalg.transpose of A and
// B, and the matmul accumulates onto C broadcast over the rows.
// CHECK-DAG: #[[C_MAP:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm_transposed
// CHECK-SAME:    (%[[A:.+]]: tensor<4x3xf32>, %[[B:.+]]: tensor<5x4xf32>, %[[C:.+]]: tensor<5xf32>)
// CHECK:         %[[AT:.+]] = linalg.transpose ins(%[[A]] : tensor<4x3xf32>) outs(%{{.+}} : tensor<3x4xf32>) permutation = [1, 0]
// CHECK:         %[[BT:.+]] = linalg.transpose ins(%[[B]] : tensor<5x4xf32>) outs(%{{.+}} : tensor<4x5xf32>) permutation = [1, 0]
// CHECK:         %[[INIT:.+]] = linalg.generic {indexing_maps = [#[[C_MAP]], #{{.+}}]
// CHECK-SAME:      ins(%[[C]] : tensor<5xf32>)
// CHECK:         linalg.matmul ins(%[[AT]], %[[BT]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
func.func @gemm_transposed(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<5xf32>) -> tensor<3x5xf32> {
  %0 = tg.gemm %a, %b, %c {trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Gemm with alpha != 1: matmul into zero, then alpha * AB + beta * C with C
// (3 x 1) broadcast along the columns.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @gemm_alpha_beta
// CHECK:         %[[MM:.+]] = linalg.matmul
// CHECK:         %[[C:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<3x1xf32> into tensor<3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]]
// CHECK-SAME:      ins(%[[MM]], %[[C]] : tensor<3x5xf32>, tensor<3xf32>)
// CHECK:           arith.constant 5.000000e-01 : f32
// CHECK:           arith.mulf
// CHECK:           arith.constant 2.000000e+00 : f32
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @gemm_alpha_beta(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x1xf32>) -> tensor<3x5xf32> {
  %0 = tg.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<3x1xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}
