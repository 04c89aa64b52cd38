// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// GatherElements: a generic over the indices that reads the data at the
// normalized and clamped index on the axis.
// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME:    (%[[D:.+]]: tensor<3x4xf32>, %[[I:.+]]: tensor<3x2xi64>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[I]] : tensor<3x2xi64>)
// CHECK:           %[[ROW:.+]] = linalg.index 0 : index
// CHECK:           %[[IDX:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK:           arith.select
// CHECK:           arith.maxsi
// CHECK:           %[[CL:.+]] = arith.minsi
// CHECK:           tensor.extract %[[D]][%[[ROW]], %[[CL]]] : tensor<3x4xf32>
func.func @gather_elements(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %0 = tg.gather_elements %d, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// ScatterElements: an scf.for nest over the indices carrying the data; an
// `add` reads the old element before inserting.
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK-SAME:    (%[[D:.+]]: tensor<3x4xf32>, %[[I:.+]]: tensor<3x2xi64>, %[[U:.+]]: tensor<3x2xf32>)
// CHECK:         scf.for %[[A:.+]] = {{.+}} iter_args(%[[T0:.+]] = %[[D]])
// CHECK:           scf.for %[[B:.+]] = {{.+}} iter_args(%[[T:.+]] = %[[T0]])
// CHECK:             tensor.extract %[[I]][%[[A]], %[[B]]]
// CHECK:             %[[X:.+]] = arith.minsi
// CHECK:             %[[UP:.+]] = tensor.extract %[[U]][%[[A]], %[[B]]]
// CHECK:             %[[OLD:.+]] = tensor.extract %[[T]][%[[A]], %[[X]]]
// CHECK:             %[[SUM:.+]] = arith.addf %[[OLD]], %[[UP]]
// CHECK:             %[[NEW:.+]] = tensor.insert %[[SUM]] into %[[T]][%[[A]], %[[X]]]
// CHECK:             scf.yield %[[NEW]]
func.func @scatter_elements_add(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %0 = tg.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// ScatterND with `none`: each update replaces the element (no read).
// CHECK-LABEL: func.func @scatter_nd
// CHECK-SAME:    (%[[D:.+]]: tensor<4x3xf32>, %[[I:.+]]: tensor<2x1xi64>, %[[U:.+]]: tensor<2x3xf32>)
// CHECK:         scf.for %[[A:.+]] = {{.+}} iter_args(%[[T0:.+]] = %[[D]])
// CHECK:           scf.for %[[B:.+]] = {{.+}} iter_args(%[[T:.+]] = %[[T0]])
// CHECK:             %[[X:.+]] = arith.minsi
// CHECK:             %[[UP:.+]] = tensor.extract %[[U]][%[[A]], %[[B]]]
// CHECK-NOT:         tensor.extract %[[T]]
// CHECK:             tensor.insert %[[UP]] into %[[T]][%[[X]], %[[B]]]
func.func @scatter_nd(%d: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = tg.scatter_nd %d, %i, %u : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// GatherND with a batch dimension: loop 0 is both the tuple and the batch
// coordinate, the tuple element is read from the indices.
// CHECK-LABEL: func.func @gather_nd_batch
// CHECK-SAME:    (%[[D:.+]]: tensor<2x3x4xf32>, %[[I:.+]]: tensor<2x1xi64>)
// CHECK:         linalg.generic
// CHECK:           %[[N:.+]] = linalg.index 0 : index
// CHECK:           tensor.extract %[[I]][%[[N]], %{{.+}}] : tensor<2x1xi64>
// CHECK:           %[[X:.+]] = arith.minsi
// CHECK:           %[[K:.+]] = linalg.index 1 : index
// CHECK:           tensor.extract %[[D]][%[[N]], %[[X]], %[[K]]] : tensor<2x3x4xf32>
func.func @gather_nd_batch(%d: tensor<2x3x4xf32>, %i: tensor<2x1xi64>) -> tensor<2x4xf32> {
  %0 = tg.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Trilu (lower): keeps col - row <= k, with k read once outside the generic.
// CHECK-LABEL: func.func @tril
// CHECK-SAME:    (%[[X:.+]]: tensor<4x5xi64>, %[[KT:.+]]: tensor<i64>)
// CHECK:         %[[K:.+]] = tensor.extract %[[KT]][] : tensor<i64>
// CHECK:         linalg.generic
// CHECK:           %[[DIAG:.+]] = arith.subi
// CHECK:           %[[KEEP:.+]] = arith.cmpi sle, %[[DIAG]], %[[K]] : i64
// CHECK:           arith.select %[[KEEP]]
func.func @tril(%x: tensor<4x5xi64>, %k: tensor<i64>) -> tensor<4x5xi64> {
  %0 = tg.trilu %x, %k {upper = false} : (tensor<4x5xi64>, tensor<i64>) -> tensor<4x5xi64>
  return %0 : tensor<4x5xi64>
}

// -----

// OneHot: the indices are read without the depth dimension; float indices
// are truncated.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @one_hot
// CHECK:         linalg.generic {indexing_maps = [#[[IDX]], #[[ID]]]
// CHECK:           arith.fptosi %{{.+}} : f32 to i64
// CHECK:           linalg.index 1 : index
// CHECK:           arith.cmpi eq
func.func @one_hot(%i: tensor<2x2xf32>, %v: tensor<2xf32>) -> tensor<2x10x2xf32> {
  %0 = tg.one_hot %i, %v {axis = 1 : i64, depth = 10 : i64} : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x10x2xf32>
  return %0 : tensor<2x10x2xf32>
}

// -----

// A run-time depth is checked against the static one.
// CHECK: llvm.mlir.global private constant @tessera_check_message("tessera: OneHot: the run-time depth input is not 10,
// CHECK-LABEL: func.func @one_hot_runtime_depth
// CHECK:         %[[DEPTH:.+]] = tensor.extract %{{.+}}[] : tensor<i64>
// CHECK:         %[[OK:.+]] = arith.cmpi eq, %[[DEPTH]], %{{.+}} : i64
// CHECK:         %[[BAD:.+]] = arith.xori %[[OK]]
// CHECK:         scf.if %[[BAD]]
// CHECK:           llvm.call @tessera_rt_set_error
func.func @one_hot_runtime_depth(%i: tensor<3xi64>, %v: tensor<2xf32>, %d: tensor<i64>) -> tensor<3x10xf32> {
  %0 = tg.one_hot %i, %v, %d {depth = 10 : i64} : (tensor<3xi64>, tensor<2xf32>, tensor<i64>) -> tensor<3x10xf32>
  return %0 : tensor<3x10xf32>
}

// -----

// Range: checks the length at run time, then start + i * delta.
// CHECK-LABEL: func.func @range
// CHECK:         arith.ceildivsi
// CHECK:         scf.if
// CHECK:           llvm.call @tessera_rt_set_error
// CHECK:         linalg.generic
// CHECK:           arith.muli
// CHECK:           arith.addi
func.func @range(%s: tensor<i32>, %l: tensor<i32>, %d: tensor<i32>) -> tensor<3xi32> {
  %0 = tg.range %s, %l, %d : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// NLL loss, none: one generic; ignored elements yield 0.
// CHECK-LABEL: func.func @nll_none
// CHECK-SAME:    (%[[X:.+]]: tensor<3x5x2xf32>, %[[T:.+]]: tensor<3x2xi64>)
// CHECK:         %[[L:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[T]] : tensor<3x2xi64>)
// CHECK:           %[[C:.+]] = arith.minsi
// CHECK:           %[[N:.+]] = linalg.index 0 : index
// CHECK:           %[[D:.+]] = linalg.index 1 : index
// CHECK:           tensor.extract %[[X]][%[[N]], %[[C]], %[[D]]]
// CHECK:           %[[KEEP:.+]] = arith.cmpi ne, %{{.+}}, %{{.+}} : i64
// CHECK:           arith.negf
// CHECK:           arith.select %[[KEEP]]
// CHECK:         return %[[L]]
func.func @nll_none(%x: tensor<3x5x2xf32>, %t: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %0 = tg.nll_loss %x, %t {ignore_index = 2 : i64, reduction = "none"} : (tensor<3x5x2xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// NLL loss, mean: the summed losses divided by the summed weights.
// CHECK-LABEL: func.func @nll_mean
// CHECK:         %[[L:.+]] = linalg.generic
// CHECK:         %[[SL:.+]] = linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%[[L]]
// CHECK:         %[[W:.+]] = linalg.generic
// CHECK:         %[[SW:.+]] = linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%[[W]]
// CHECK:         linalg.generic {{.+}} ins(%[[SL]], %[[SW]] : tensor<f32>, tensor<f32>)
// CHECK:           arith.divf
func.func @nll_mean(%x: tensor<3x5xf32>, %t: tensor<3xi64>, %w: tensor<5xf32>) -> tensor<f32> {
  %0 = tg.nll_loss %x, %t, %w {reduction = "mean"} : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}
