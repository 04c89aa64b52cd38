// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// A sum reduces into a zero-filled tensor without the reduced dimension;
// keepdims puts it back with expand_shape.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK:           arith.addf
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[SUM]] {{\[}}[0], [1, 2]] output_shape [2, 1, 4]
// CHECK:         return %[[R]]
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = tg.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// The mean divides the sum by the number of reduced elements (2 * 4).
// CHECK-LABEL: func.func @reduce_mean
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction"]
// CHECK:         linalg.generic {{.*}} ins(%[[SUM]] : tensor<3xf32>)
// CHECK:           %[[N:.+]] = arith.constant 8.000000e+00 : f32
// CHECK:           arith.divf %{{.+}}, %[[N]] : f32
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = tg.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Integer min starts from the largest signed value.
// CHECK-LABEL: func.func @reduce_min_int
// CHECK:         %[[MAX:.+]] = arith.constant 2147483647 : i32
// CHECK:         linalg.fill ins(%[[MAX]] : i32)
// CHECK:         linalg.generic
// CHECK:           arith.minsi
func.func @reduce_min_int(%x: tensor<2x3xi32>) -> tensor<2xi32> {
  %0 = tg.reduce_min %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Float max starts from -inf and propagates NaN (maximumf); the product
// starts from 1.
// CHECK-LABEL: func.func @reduce_max_prod
// CHECK:         arith.constant 0xFF800000 : f32
// CHECK:         arith.maximumf
// CHECK:         arith.constant 1.000000e+00 : f32
// CHECK:         arith.mulf
func.func @reduce_max_prod(%x: tensor<2x3xf32>) -> (tensor<1x3xf32>, tensor<2x1xf32>) {
  %0 = tg.reduce_max %x {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  %1 = tg.reduce_prod %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0, %1 : tensor<1x3xf32>, tensor<2x1xf32>
}

// -----

// Run-time axes: the bit mask of the normalized axes picks one of the
// reductions giving 3x2 (axis 1: mask 2, axis 2: mask 4); any other fails
// the run.
// CHECK-LABEL: func.func @reduce_runtime_axes
// CHECK-SAME:    (%[[X:.+]]: tensor<3x2x2xf32>, %[[AXES:.+]]: tensor<1xi64>)
// CHECK:         tensor.extract %[[AXES]]
// CHECK:         %[[MASK:.+]] = arith.ori
// CHECK:         %[[C2:.+]] = arith.constant 2 : i64
// CHECK:         arith.cmpi eq, %[[MASK]], %[[C2]]
// CHECK:         %[[C4:.+]] = arith.constant 4 : i64
// CHECK:         arith.cmpi eq, %[[MASK]], %[[C4]]
// CHECK:         %[[R:.+]] = scf.index_switch
// CHECK:         case 0 {
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK:         case 1 {
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         default {
// CHECK:           llvm.call @tessera_rt_set_error
// CHECK:         return %[[R]]
func.func @reduce_runtime_axes(%x: tensor<3x2x2xf32>, %axes: tensor<1xi64>) -> tensor<3x2xf32> {
  %0 = tg.reduce_sum %x runtime_axes %axes : tensor<1xi64> {axes = array<i64: 1>, keepdims = false} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// ArgMax keeps a (value, index) pair; select_last_index replaces on ties.
// CHECK-LABEL: func.func @arg_max_last
// CHECK:         %[[R:.+]]:2 = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      outs(%{{.+}}, %{{.+}} : tensor<2xf32>, tensor<2xi64>)
// CHECK:           arith.cmpf oge
// CHECK:           linalg.index 1
// CHECK:         return %[[R]]#1
func.func @arg_max_last(%x: tensor<2x3xf32>) -> tensor<2xi64> {
  %0 = tg.arg_max %x {axis = 1 : i64, keepdims = false, select_last_index = true} : (tensor<2x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// ArgMin keeps the first index of a tie (strict comparison).
// CHECK-LABEL: func.func @arg_min
// CHECK:         arith.constant 0x7F800000 : f32
// CHECK:         linalg.generic
// CHECK:           arith.cmpf olt
// CHECK:         tensor.expand_shape
func.func @arg_min(%x: tensor<2x3xf32>) -> tensor<1x3xi64> {
  %0 = tg.arg_min %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  return %0 : tensor<1x3xi64>
}

// -----

// Hardmax: 1 where the index along the axis is the arg-max.
// CHECK-LABEL: func.func @hardmax
// CHECK:         %[[ARG:.+]]:2 = linalg.generic
// CHECK:         linalg.generic {{.*}} ins(%[[ARG]]#1 : tensor<2xi64>) outs(%{{.+}} : tensor<2x3xf32>)
// CHECK:           %[[I:.+]] = linalg.index 1
// CHECK:           %[[I64:.+]] = arith.index_cast %[[I]]
// CHECK:           arith.cmpi eq, %[[I64]]
// CHECK:           arith.select
func.func @hardmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tg.hardmax %x {axis = 1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// TopK ranks each element in its row (larger first, then lower index), then
// gathers ranks 0..k-1.
// CHECK-DAG: #[[OWN:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OTHER:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @top_k
// CHECK-SAME:    (%[[X:.+]]: tensor<3x4xf32>)
// CHECK:         %[[RANK:.+]] = linalg.generic {indexing_maps = [#[[OWN]], #[[OTHER]], #[[OWN]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[X]] : tensor<3x4xf32>, tensor<3x4xf32>) outs(%{{.+}} : tensor<3x4xi64>)
// CHECK:           arith.cmpf ogt
// CHECK:           arith.cmpf oeq
// CHECK:         %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[OTHER]], #[[OTHER]], #[[OWN]], #[[OWN]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[RANK]] : tensor<3x4xf32>, tensor<3x4xi64>)
// CHECK-SAME:      outs(%{{.+}}, %{{.+}} : tensor<3x2xf32>, tensor<3x2xi64>)
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func @top_k(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %v, %i = tg.top_k %x {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// A run-time k is checked against the compiled k.
// CHECK-LABEL: func.func @top_k_runtime
// CHECK:         %[[K:.+]] = tensor.extract
// CHECK:         %[[C:.+]] = arith.constant 1 : i64
// CHECK:         arith.cmpi eq, %[[K]], %[[C]]
// CHECK:         scf.if
// CHECK:           llvm.call @tessera_rt_set_error
func.func @top_k_runtime(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<1x4xf32>, tensor<1x4xi64>) {
  %v, %i = tg.top_k %x runtime_k %k : tensor<1xi64> {axis = 0 : i64, k = 1 : i64, largest = false} : (tensor<3x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xi64>)
  return %v, %i : tensor<1x4xf32>, tensor<1x4xi64>
}

// -----

// Exclusive CumSum adds the elements at positions j < i.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @cumsum_exclusive
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK:           %[[J:.+]] = arith.index_cast
// CHECK:           %[[I:.+]] = arith.index_cast
// CHECK:           %[[TAKE:.+]] = arith.cmpi slt, %[[J]], %[[I]]
// CHECK:           %[[SUM:.+]] = arith.addf
// CHECK:           arith.select %[[TAKE]], %[[SUM]]
func.func @cumsum_exclusive(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = tg.cumsum %x {axis = 0 : i64, exclusive = true} : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// A run-time axis picks one cumulative sum per axis; reverse sums j >= i.
// CHECK-LABEL: func.func @cumsum_runtime_axis
// CHECK:         %[[A:.+]] = tensor.extract %{{.+}}[] : tensor<i32>
// CHECK:         arith.extsi %[[A]] : i32 to i64
// CHECK:         scf.index_switch
// CHECK:         case 0 {
// CHECK:           arith.cmpi sge
// CHECK:         case 1 {
// CHECK:           arith.cmpi sge
// CHECK:         default {
// CHECK:           llvm.call @tessera_rt_set_error
func.func @cumsum_runtime_axis(%x: tensor<2x3xf64>, %a: tensor<i32>) -> tensor<2x3xf64> {
  %0 = tg.cumsum %x runtime_axis %a : tensor<i32> {reverse = true} : tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}
