// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// Dense constants become arith.constant.
// CHECK-LABEL: func.func @constant_dense
// CHECK:         %[[C:.+]] = arith.constant dense<{{\[}}1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK:         return %[[C]]
func.func @constant_dense() -> tensor<2xf32> {
  %0 = tg.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// A dense_resource weight keeps referring to its blob (no copy of the data).
// CHECK-LABEL: func.func @constant_resource
// CHECK:         arith.constant dense_resource<weights> : tensor<2xf32>
func.func @constant_resource() -> tensor<2xf32> {
  %0 = tg.constant dense_resource<weights> : tensor<2xf32>
  return %0 : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// Broadcasting add: the missing leading dimension and the size-1 dimension
// of the operands are left out of their (projected permutation) maps.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME:    (%[[A:.+]]: tensor<2x3x4xf32>, %[[B:.+]]: tensor<3x1xf32>)
// CHECK:         %[[B1:.+]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1]] : tensor<3x1xf32> into tensor<3xf32>
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B1]] : tensor<2x3x4xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3x4xf32>)
// CHECK:           arith.addf
func.func @add_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = tg.add %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// A rank-0 operand broadcasts with an empty map.
// CHECK-DAG: #[[SCALAR:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @mul_scalar
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[SCALAR]], #{{.+}}]
// CHECK:           arith.mulf
func.func @mul_scalar(%a: tensor<2x3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = tg.mul %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Integer arithmetic uses the integer arith ops; division is signed.
// CHECK-LABEL: func.func @integer_ops
// CHECK:         arith.subi
// CHECK:         arith.divsi
func.func @integer_ops(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = tg.sub %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = tg.div %0, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %1 : tensor<4xi32>
}

// -----

// Relu is max(x, 0): maximumf on floats, maxsi on integers.
// CHECK-LABEL: func.func @relu
// CHECK:         linalg.generic
// CHECK:           %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           arith.maximumf %{{.+}}, %[[ZERO]] : f32
// CHECK:         linalg.generic
// CHECK:           %[[IZERO:.+]] = arith.constant 0 : i8
// CHECK:           arith.maxsi %{{.+}}, %[[IZERO]] : i8
func.func @relu(%x: tensor<4xf32>, %i: tensor<4xi8>) -> (tensor<4xf32>, tensor<4xi8>) {
  %0 = tg.relu %x : tensor<4xf32>
  %1 = tg.relu %i : tensor<4xi8>
  return %0, %1 : tensor<4xf32>, tensor<4xi8>
}

// -----

// Sigmoid is 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @sigmoid
// CHECK:           %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[NEG:.+]] = arith.negf %{{.+}} : f32
// CHECK:           %[[EXP:.+]] = math.exp %[[NEG]] : f32
// CHECK:           %[[DEN:.+]] = arith.addf %[[ONE]], %[[EXP]] : f32
// CHECK:           arith.divf %[[ONE]], %[[DEN]] : f32
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tg.sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tanh maps to math.tanh, in f16 too.
// CHECK-LABEL: func.func @tanh
// CHECK:           math.tanh %{{.+}} : f16
func.func @tanh(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = tg.tanh %x : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// LeakyRelu selects between x and alpha * x.
// CHECK-LABEL: func.func @leaky_relu
// CHECK:           %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[ALPHA:.+]] = arith.constant 2.000000e-01 : f32
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[X:.+]], %[[ALPHA]] : f32
// CHECK:           %[[GE:.+]] = arith.cmpf oge, %[[X]], %[[ZERO]] : f32
// CHECK:           arith.select %[[GE]], %[[X]], %[[SCALED]] : f32
func.func @leaky_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tg.leaky_relu %x {alpha = 0.2 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Clip uses the NaN-propagating maximumf/minimumf; a missing bound is
// skipped.
// CHECK-LABEL: func.func @clip
// CHECK:           %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[M:.+]] = arith.maximumf %{{.+}}, %[[LO]] : f32
// CHECK:           %[[HI:.+]] = arith.constant 6.000000e+00 : f32
// CHECK:           arith.minimumf %[[M]], %[[HI]] : f32
// CHECK:         linalg.generic
// CHECK:           arith.maximumf
// CHECK-NOT:       arith.minimumf
// CHECK:           linalg.yield
func.func @clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = tg.clip %x {max = 6.0 : f64, min = 0.0 : f64} : tensor<4xf32>
  %1 = tg.clip %x {min = -1.0 : f64} : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Unary math maps onto math ops (Round is round-half-to-even); Elu selects
// between x and alpha * (exp(x) - 1); Neg of integers is 0 - x; IsInf
// compares with the infinities it is asked to detect.
// CHECK-LABEL: func.func @unary_math
// CHECK:         math.erf %{{.+}} : f32
// CHECK:         math.roundeven %{{.+}} : f32
// CHECK:         math.asinh %{{.+}} : f32
// CHECK:         %[[E:.+]] = math.exp %[[X:.+]] : f32
// CHECK:         %[[EM1:.+]] = arith.subf %[[E]], %{{.+}} : f32
// CHECK:         %[[SCALED:.+]] = arith.mulf %[[EM1]], %{{.+}} : f32
// CHECK:         arith.select %{{.+}}, %[[SCALED]], %[[X]] : f32
// CHECK:         arith.subi %{{.+}}, %{{.+}} : i32
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.+}} : tensor<4xi1>)
// CHECK:           arith.cmpf oeq
// CHECK-NOT:       arith.cmpf
// CHECK:           linalg.yield %{{.+}} : i1
func.func @unary_math(%x: tensor<4xf32>, %i: tensor<4xi32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi1>) {
  %0 = tg.erf %x : tensor<4xf32>
  %1 = tg.round %x : tensor<4xf32>
  %2 = tg.asinh %x : tensor<4xf32>
  %3 = tg.elu %x {alpha = 0.5 : f32} : tensor<4xf32>
  %4 = tg.neg %i : tensor<4xi32>
  %5 = tg.is_inf %x {detect_negative = false} : (tensor<4xf32>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi1>
}

// -----

// Clip bounds given as rank-0 operands are scalar inputs of the generic.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SCALAR:.+]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @clip_operands
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]]
// CHECK:         ^bb0(%[[X:.+]]: i8, %[[LO:.+]]: i8, %[[HI:.+]]: i8, %{{.+}}: i8):
// CHECK:           %[[M:.+]] = arith.maxsi %[[X]], %[[LO]] : i8
// CHECK:           arith.minsi %[[M]], %[[HI]] : i8
func.func @clip_operands(%x: tensor<4xi8>, %lo: tensor<i8>, %hi: tensor<i8>) -> tensor<4xi8> {
  %0 = tg.clip %x lower %lo : tensor<i8> upper %hi : tensor<i8> : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// A dynamic_reshape is a static reshape plus a run-time check of each shape
// element: equal to the result size, 0 where that copies an equal input
// size, or -1 (at most once). A mismatch reports the message to the runtime,
// which fails the run.
// CHECK-DAG:   llvm.func @tessera_rt_set_error(!llvm.ptr)
// CHECK-DAG:   llvm.mlir.global private constant @tessera_check_message("tessera: Reshape: the run-time shape input does not give the shape 2x4x3 that the model was compiled for (from its recorded output shape)\00")
// CHECK-LABEL: func.func @dynamic_reshape
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>, %[[S:.+]]: tensor<3xi64>)
// CHECK:         tensor.extract %[[S]][%{{.+}}] : tensor<3xi64>
// CHECK:         tensor.extract %[[S]][%{{.+}}] : tensor<3xi64>
// CHECK:         tensor.extract %[[S]][%{{.+}}] : tensor<3xi64>
// CHECK:         %[[SINGLE:.+]] = arith.cmpi sle
// CHECK:         %[[OK:.+]] = arith.andi %{{.+}}, %[[SINGLE]] : i1
// CHECK:         %[[FAILED:.+]] = arith.xori %[[OK]], %{{.+}} : i1
// CHECK:         scf.if %[[FAILED]] {
// CHECK:           llvm.call @tessera_rt_set_error(
// CHECK:         }
// CHECK:         tensor.collapse_shape %[[X]]
// CHECK:         tensor.expand_shape
func.func @dynamic_reshape(%x: tensor<2x3x4xf32>, %s: tensor<3xi64>) -> tensor<2x4x3xf32> {
  %0 = tg.dynamic_reshape %x, %s : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// Batch normalization is one generic reading the per-channel parameters
// through channel-indexed maps.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK:         ^bb0(%[[X:.+]]: f32, %[[SCALE:.+]]: f32, %[[BIAS:.+]]: f32, %[[MEAN:.+]]: f32, %[[VAR:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[EPS:.+]] = arith.constant 1.000000e-03 : f32
// CHECK:           %[[VE:.+]] = arith.addf %[[VAR]], %[[EPS]] : f32
// CHECK:           %[[STD:.+]] = math.sqrt %[[VE]] : f32
// CHECK:           %[[C:.+]] = arith.subf %[[X]], %[[MEAN]] : f32
// CHECK:           %[[N:.+]] = arith.divf %[[C]], %[[STD]] : f32
// CHECK:           %[[S:.+]] = arith.mulf %[[N]], %[[SCALE]] : f32
// CHECK:           arith.addf %[[S]], %[[BIAS]] : f32
func.func @batch_norm(%x: tensor<2x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %0 = tg.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

// Softmax along axis 1: max-reduce from -inf, exp(x - max) stored once, its
// sum, then the division in place (the exponentials are the division's init).
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax
// CHECK:         %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK:         %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME:      outs(%[[MAX_INIT]] : tensor<2x4xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%{{.+}}, %[[MAX]] : tensor<2x3x4xf32>, tensor<2x4xf32>)
// CHECK:           arith.subf
// CHECK:           math.exp
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME:      ins(%[[EXP]] : tensor<2x3x4xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic {indexing_maps = [#[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[SUM]] : tensor<2x4xf32>) outs(%[[EXP]] : tensor<2x3x4xf32>)
// CHECK-NOT:       math.exp
// CHECK:           arith.divf
func.func @softmax(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = tg.softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// LogSoftmax along the last axis ends with x - max - log(sum).
// CHECK-LABEL: func.func @log_softmax
// CHECK:         linalg.generic
// CHECK:           arith.maximumf
// CHECK:         linalg.generic
// CHECK:           math.exp
// CHECK:         linalg.generic
// CHECK:           %[[SHIFTED:.+]] = arith.subf
// CHECK:           %[[LOG:.+]] = math.log
// CHECK:           arith.subf %[[SHIFTED]], %[[LOG]] : f32
func.func @log_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tg.log_softmax %x {axis = -1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A reshape that only merges dimensions is one collapse_shape.
// CHECK-LABEL: func.func @reshape_collapse
// CHECK:         %[[R:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK:         return %[[R]]
func.func @reshape_collapse(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = tg.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// A general reshape goes through a 1-D tensor.
// CHECK-LABEL: func.func @reshape_general
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK:         tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
func.func @reshape_general(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = tg.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// A rank-0 tensor expands with an empty reassociation.
// CHECK-LABEL: func.func @reshape_scalar
// CHECK:         tensor.expand_shape %{{.+}} [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
func.func @reshape_scalar(%x: tensor<f32>) -> tensor<1x1xf32> {
  %0 = tg.reshape %x {shape = array<i64: 1, 1>} : (tensor<f32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// Flatten is a collapse around the axis.
// CHECK-LABEL: func.func @flatten
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<1x64x7x7xf32> into tensor<1x3136xf32>
func.func @flatten(%x: tensor<1x64x7x7xf32>) -> tensor<1x3136xf32> {
  %0 = tg.flatten %x {axis = 1 : i64} : (tensor<1x64x7x7xf32>) -> tensor<1x3136xf32>
  return %0 : tensor<1x3136xf32>
}

// -----

// Transpose is linalg.transpose with the same permutation.
// CHECK-LABEL: func.func @transpose
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK:         linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = tg.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// Concat inserts each input at its offset along the (negative) axis.
// CHECK-LABEL: func.func @concat
// CHECK-SAME:    (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x1xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x4xf32>
// CHECK:         %[[S0:.+]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK:         %[[S1:.+]] = tensor.insert_slice %[[B]] into %[[S0]][0, 3] [2, 1] [1, 1]
// CHECK:         return %[[S1]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %0 = tg.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Unsigned elements: the body sees them as signless through scalar casts
// and uses the unsigned arith op.
// CHECK-LABEL: func.func @div_unsigned
// CHECK:         ^bb0(%[[A:.+]]: ui8, %[[B:.+]]: ui8, %{{.+}}: ui8):
// CHECK:           %[[SA:.+]] = builtin.unrealized_conversion_cast %[[A]] : ui8 to i8
// CHECK:           %[[SB:.+]] = builtin.unrealized_conversion_cast %[[B]] : ui8 to i8
// CHECK:           %[[D:.+]] = arith.divui %[[SA]], %[[SB]] : i8
// CHECK:           %[[R:.+]] = builtin.unrealized_conversion_cast %[[D]] : i8 to ui8
// CHECK:           linalg.yield %[[R]] : ui8
func.func @div_unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = tg.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Integer Mod without fmod takes the divisor's sign: a nonzero remainder
// of the other sign gets the divisor added.
// CHECK-LABEL: func.func @mod_floor
// CHECK:         ^bb0(%[[A:.+]]: i32, %[[B:.+]]: i32, %{{.+}}: i32):
// CHECK:           %[[R:.+]] = arith.remsi %[[A]], %[[B]] : i32
// CHECK:           %[[ADJ:.+]] = arith.andi
// CHECK:           %[[SUM:.+]] = arith.addi %[[R]], %[[B]] : i32
// CHECK:           arith.select %[[ADJ]], %[[SUM]], %[[R]] : i32
func.func @mod_floor(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = tg.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Comparisons of unsigned integers use the unsigned predicate.
// CHECK-LABEL: func.func @less_unsigned
// CHECK:         outs(%{{.+}} : tensor<4xi1>)
// CHECK:           arith.cmpi ult, %{{.+}}, %{{.+}} : i16
func.func @less_unsigned(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xi1> {
  %0 = tg.less %a, %b : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Where broadcasts its three operands.
// CHECK-DAG: #[[COND:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[Y:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @where
// CHECK:         linalg.generic {indexing_maps = [#[[COND]], #[[X]], #[[Y]], #[[OUT]]]
// CHECK:         ^bb0(%[[C:.+]]: i1, %[[A:.+]]: f32, %[[B:.+]]: f32, %{{.+}}: f32):
// CHECK:           arith.select %[[C]], %[[A]], %[[B]] : f32
func.func @where(%c: tensor<2x1xi1>, %x: tensor<3xf32>, %y: tensor<f32>) -> tensor<2x3xf32> {
  %0 = tg.where %c, %x, %y : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// An integer base is raised in f64 and truncated toward zero.
// CHECK-LABEL: func.func @pow_int
// CHECK:         ^bb0(%[[A:.+]]: i32, %[[B:.+]]: f32, %{{.+}}: i32):
// CHECK:           %[[X:.+]] = arith.sitofp %[[A]] : i32 to f64
// CHECK:           %[[E:.+]] = arith.extf %[[B]] : f32 to f64
// CHECK:           %[[P:.+]] = math.powf %[[X]], %[[E]] : f64
// CHECK:           arith.fptosi %[[P]] : f64 to i32
func.func @pow_int(%a: tensor<4xi32>, %b: tensor<4xf32>) -> tensor<4xi32> {
  %0 = tg.pow %a, %b : (tensor<4xi32>, tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Casts: float to unsigned truncates with fptoui, to bool tests for
// nonzero (NaN is true), bool widens with zero extension.
// CHECK-LABEL: func.func @cast_float_to_unsigned
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: ui8):
// CHECK:           %[[I:.+]] = arith.fptoui %[[X]] : f32 to i8
// CHECK:           %[[U:.+]] = builtin.unrealized_conversion_cast %[[I]] : i8 to ui8
// CHECK:           linalg.yield %[[U]] : ui8
// CHECK-LABEL: func.func @cast_to_bool
// CHECK:           arith.cmpf une, %{{.+}}, %{{.+}} : f32
// CHECK-LABEL: func.func @cast_bool_to_int
// CHECK:           arith.extui %{{.+}} : i1 to i32
func.func @cast_float_to_unsigned(%x: tensor<4xf32>) -> tensor<4xui8> {
  %0 = tg.cast %x : tensor<4xf32> to tensor<4xui8>
  return %0 : tensor<4xui8>
}
func.func @cast_to_bool(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = tg.cast %x : tensor<4xf32> to tensor<4xi1>
  return %0 : tensor<4xi1>
}
func.func @cast_bool_to_int(%x: tensor<4xi1>) -> tensor<4xi32> {
  %0 = tg.cast %x : tensor<4xi1> to tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Tile iterates repeats x sizes, reading the input with the size loops, and
// collapses each pair.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @tile
// CHECK:         %[[T:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]]
// CHECK-SAME:      outs(%{{.+}} : tensor<2x3x3x1xf32>)
// CHECK:         tensor.collapse_shape %[[T]] {{\[}}[0, 1], [2, 3]] : tensor<2x3x3x1xf32> into tensor<6x3xf32>
func.func @tile(%x: tensor<3x1xf32>) -> tensor<6x3xf32> {
  %0 = tg.tile %x {repeats = array<i64: 2, 3>} : (tensor<3x1xf32>) -> tensor<6x3xf32>
  return %0 : tensor<6x3xf32>
}

// -----

// A negative step: a strided extract_slice from the lowest index taken,
// then that dimension reversed.
// CHECK-LABEL: func.func @slice_negative_step
// CHECK:         %[[S:.+]] = tensor.extract_slice %{{.+}}[2, 1] [2, 2] [2, 2] : tensor<5x4xf32> to tensor<2x2xf32>
// CHECK:         linalg.generic
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[LAST:.+]] = arith.constant 1 : index
// CHECK:           %[[R:.+]] = arith.subi %[[LAST]], %[[I]] : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           tensor.extract %[[S]][%[[R]], %[[J]]] : tensor<2x2xf32>
func.func @slice_negative_step(%x: tensor<5x4xf32>) -> tensor<2x2xf32> {
  %0 = tg.slice %x {ends = array<i64: 0, 4>, starts = array<i64: 4, 1>, steps = array<i64: -2, 2>} : (tensor<5x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Expand is a broadcasting copy.
// CHECK-LABEL: func.func @expand
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK:           linalg.yield %[[IN]] : f32
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = tg.expand %x {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Gather reads the indices with the loops of their dimensions, normalizes a
// negative index, clamps it, and extracts from the data.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[DATA:.+]]: tensor<2x5x4xf32>, %[[I:.+]]: tensor<3xi64>)
// CHECK:         linalg.generic {indexing_maps = [#[[IDX]], #{{.+}}]
// CHECK-SAME:      ins(%[[I]] : tensor<3xi64>)
// CHECK:         ^bb0(%[[RAW:.+]]: i64, %{{.+}}: f32):
// CHECK:           %[[IX:.+]] = arith.index_cast %[[RAW]] : i64 to index
// CHECK:           %[[NEG:.+]] = arith.cmpi slt, %[[IX]]
// CHECK:           %[[NORM:.+]] = arith.select %[[NEG]]
// CHECK:           %[[LO:.+]] = arith.maxsi %[[NORM]]
// CHECK:           %[[IN:.+]] = arith.minsi %[[LO]]
// CHECK:           %[[D0:.+]] = linalg.index 0 : index
// CHECK:           %[[D2:.+]] = linalg.index 2 : index
// CHECK:           tensor.extract %[[DATA]][%[[D0]], %[[IN]], %[[D2]]] : tensor<2x5x4xf32>
func.func @gather(%x: tensor<2x5x4xf32>, %i: tensor<3xi64>) -> tensor<2x3x4xf32> {
  %0 = tg.gather %x, %i {axis = 1 : i64} : (tensor<2x5x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Reflect padding maps each result index j - low back into the input:
// |j| below the start, 2 (d - 1) - j past the end.
// CHECK-LABEL: func.func @pad_reflect
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = arith.subi %[[I]], %{{.+}} : index
// CHECK:           %[[NEG:.+]] = arith.subi %{{.+}}, %[[J]] : index
// CHECK:           %[[ABS:.+]] = arith.maxsi %[[J]], %[[NEG]] : index
// CHECK:           %[[MIR:.+]] = arith.subi %{{.+}}, %[[ABS]] : index
// CHECK:           %[[K:.+]] = arith.minsi %[[ABS]], %[[MIR]] : index
// CHECK:           tensor.extract %[[X]][%[[K]]] : tensor<4xf32>
func.func @pad_reflect(%x: tensor<4xf32>) -> tensor<6xf32> {
  %0 = tg.pad %x {mode = "reflect", pads = array<i64: 2, 0>} : (tensor<4xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// Constant padding is tensor.pad.
// CHECK-LABEL: func.func @pad_constant
// CHECK:         %[[V:.+]] = arith.constant 1.500000e+00 : f32
// CHECK:         tensor.pad %{{.+}} low[0, 1] high[0, 2]
// CHECK:           tensor.yield %[[V]] : f32
func.func @pad_constant(%x: tensor<3x4xf32>) -> tensor<3x7xf32> {
  %0 = tg.pad %x {pads = array<i64: 0, 1, 0, 2>, value = 1.5 : f64} : (tensor<3x4xf32>) -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}
