// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// A transposed convolution is a stride-1 convolution of the zero-interleaved
// input (inserted with the strides, padded by k - 1 - pads) with the
// flipped weight whose channel dimensions are swapped; the bias is the
// accumulator.
// CHECK-DAG:   #[[FLIP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, -d3 + 2, -d4 + 2)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK:         %[[ZEROS:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x9x5xf32>)
// CHECK:         %[[DILATED:.+]] = tensor.insert_slice %arg0 into %[[ZEROS]][0, 0, 1, 0] [1, 1, 3, 3] [1, 1, 3, 2]
// CHECK:         %[[GROUPED:.+]] = tensor.expand_shape %arg1 {{\[}}[0, 1], [2], [3], [4]] output_shape [1, 1, 2, 3, 3]
// CHECK:         %[[SWAPPED:.+]] = linalg.generic {indexing_maps = [#[[FLIP]], #{{.+}}]{{.*}} ins(%[[GROUPED]] : tensor<1x1x2x3x3xf32>)
// CHECK:         %[[WEIGHT:.+]] = tensor.collapse_shape %[[SWAPPED]] {{\[}}[0, 1], [2], [3], [4]] : tensor<1x2x1x3x3xf32> into tensor<2x1x3x3xf32>
// CHECK:         %[[BIAS:.+]] = linalg.generic {{.*}} ins(%arg2 : tensor<2xf32>)
// CHECK:         linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[DILATED]], %[[WEIGHT]] : tensor<1x1x9x5xf32>, tensor<2x1x3x3xf32>) outs(%[[BIAS]] : tensor<1x2x7x3xf32>)
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x7x3xf32> {
  %0 = tg.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 1, 2, 1, 2>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x7x3xf32>
  return %0 : tensor<1x2x7x3xf32>
}

// -----

// Pads larger than the kernel extent crop the input (stride 1: nothing to
// interleave); 1-D with group 2 becomes a grouped generic convolution.
// CHECK-LABEL: func.func @conv_transpose_crop
// CHECK-NOT:     tensor.insert_slice
// CHECK:         tensor.extract_slice %arg0[0, 0, 1] [1, 2, 1] [1, 1, 1] : tensor<1x2x3xf32> to tensor<1x2x1xf32>
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
func.func @conv_transpose_crop(%x: tensor<1x2x3xf32>, %w: tensor<2x1x1xf32>) -> tensor<1x2x1xf32> {
  %0 = tg.conv_transpose %x, %w {dilations = array<i64: 1>, group = 2 : i64, output_padding = array<i64: 0>, pads = array<i64: 1, 1>, strides = array<i64: 1>} : (tensor<1x2x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x1xf32>
  return %0 : tensor<1x2x1xf32>
}

// -----

// Nearest resizing by run-time scales: the scales are read once, the
// unchanged dimensions (N, C) use the output index, each resized one
// rounds its transformed coordinate, and one tensor.extract reads the input.
// CHECK-LABEL: func.func @resize_nearest
// CHECK:         %[[S2:.+]] = tensor.extract %arg1[%{{.+}}] : tensor<4xf32>
// CHECK:         arith.extf %[[S2]] : f32 to f64
// CHECK:         %[[S3:.+]] = tensor.extract %arg1[%{{.+}}] : tensor<4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.+}} : tensor<1x1x4x6xf32>)
// CHECK:           %[[N:.+]] = linalg.index 0 : index
// CHECK:           %[[C:.+]] = linalg.index 1 : index
// CHECK:           math.ceil
// CHECK:           arith.cmpf ogt
// CHECK:           %[[H:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK:           math.ceil
// CHECK:           %[[W:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK:           %[[V:.+]] = tensor.extract %arg0[%[[N]], %[[C]], %[[H]], %[[W]]] : tensor<1x1x2x2xf32>
// CHECK:           linalg.yield %[[V]] : f32
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<1x1x4x6xf32> {
  %0 = tg.resize %x scales %s : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x6xf32>
  return %0 : tensor<1x1x4x6xf32>
}

// -----

// Bilinear: 2 x 2 taps, weighted in f64 and truncated to the element type.
// CHECK-LABEL: func.func @resize_linear
// CHECK:         linalg.generic
// CHECK-COUNT-4:   tensor.extract %arg0
// CHECK:           %[[SUM:.+]] = arith.addf
// CHECK:           %[[R:.+]] = arith.truncf %[[SUM]] : f64 to f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @resize_linear(%x: tensor<2x4xf32>) -> tensor<4x8xf32> {
  %0 = tg.resize %x {mode = "linear", coordinate_transformation_mode = "align_corners"} : (tensor<2x4xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Cubic reads 4 taps per resized dimension.
// CHECK-LABEL: func.func @resize_cubic
// CHECK:         linalg.generic
// CHECK-COUNT-4:   tensor.extract %arg0
// CHECK-NOT:       tensor.extract %arg0
// CHECK:           linalg.yield
func.func @resize_cubic(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  %0 = tg.resize %x {mode = "cubic"} : (tensor<1x4xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// Run-time scales of unchanged dimensions are checked to be 1.
// CHECK-LABEL: func.func @resize_unit_scale_check
// CHECK:         %[[S0:.+]] = tensor.extract %arg1[%c0] : tensor<2xf32>
// CHECK:         %[[S0F:.+]] = arith.extf %[[S0]] : f32 to f64
// CHECK:         %[[ONE:.+]] = arith.cmpf oeq, %[[S0F]], %{{.+}} : f64
// CHECK:         %[[BAD:.+]] = arith.xori %[[ONE]], %{{.+}} : i1
// CHECK:         scf.if %[[BAD]]
// CHECK:           llvm.call @tessera_rt_set_error
func.func @resize_unit_scale_check(%x: tensor<2x2xf32>, %s: tensor<2xf32>) -> tensor<2x4xf32> {
  %0 = tg.resize %x scales %s : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// An unsigned max pool pads with 0 and compares unsigned in a generic.
// CHECK-LABEL: func.func @max_pool_ui8
// CHECK:         %[[ZERO:.+]] = arith.constant 0 : i8
// CHECK:         %[[LOWEST:.+]] = builtin.unrealized_conversion_cast %[[ZERO]] : i8 to ui8
// CHECK:         tensor.pad
// CHECK:           tensor.yield %[[LOWEST]] : ui8
// CHECK:         linalg.generic
// CHECK:           arith.maxui %{{.+}}, %{{.+}} : i8
func.func @max_pool_ui8(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x4x4xui8> {
  %0 = tg.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xui8>) -> tensor<1x1x4x4xui8>
  return %0 : tensor<1x1x4x4xui8>
}

// -----

// Einsum: one generic with a loop per letter; the diagonal indexes one
// loop twice, the summed letter is a reduction.
// CHECK-DAG:   #[[DIAG:.+]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-DAG:   #[[OUT:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG:   #[[B:.+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG:   #[[C:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum
// CHECK:         linalg.generic {indexing_maps = [#[[DIAG]], #[[OUT]]], iterator_types = ["parallel", "parallel"]}
// CHECK:         linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK:           %[[P:.+]] = arith.mulf
// CHECK:           arith.addf %{{.+}}, %[[P]]
func.func @einsum(%c: tensor<3x5x5xf32>, %a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> (tensor<3x5xf32>, tensor<2x4xf32>) {
  %0 = tg.einsum %c {equation = "Aii->Ai"} : (tensor<3x5x5xf32>) -> tensor<3x5xf32>
  %1 = tg.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<2x4xf32>
}
