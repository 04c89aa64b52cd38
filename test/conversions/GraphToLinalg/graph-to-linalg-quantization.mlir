// RUN: tessera-opt %s --split-input-file --convert-graph-to-linalg | FileCheck %s

// Per-axis quantization to ui8: the broadcast scale and zero point are
// collapsed, and the body rounds half to even, adds the zero point and
// saturates to [0, 255] before converting.
// CHECK-LABEL: func.func @quantize_linear
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%arg0, %{{.+}}, %{{.+}} : tensor<1x3x2xf32>, tensor<1x3xf32>, tensor<1x3xui8>)
// CHECK:           %[[ZP:.+]] = builtin.unrealized_conversion_cast %{{.+}} : ui8 to i8
// CHECK:           %[[DIV:.+]] = arith.divf
// CHECK:           %[[ROUND:.+]] = math.roundeven %[[DIV]] : f32
// CHECK:           %[[ZPF:.+]] = arith.uitofp %[[ZP]] : i8 to f32
// CHECK:           %[[SUM:.+]] = arith.addf %[[ROUND]], %[[ZPF]] : f32
// CHECK:           %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[MAX:.+]] = arith.maxnumf %[[SUM]], %[[LO]] : f32
// CHECK:           %[[HI:.+]] = arith.constant 2.550000e+02 : f32
// CHECK:           %[[MIN:.+]] = arith.minnumf %[[MAX]], %[[HI]] : f32
// CHECK:           arith.fptoui %[[MIN]] : f32 to i8
func.func @quantize_linear(%x: tensor<1x3x2xf32>, %s: tensor<1x3x1xf32>, %zp: tensor<1x3x1xui8>) -> tensor<1x3x2xui8> {
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<1x3x2xf32>, tensor<1x3x1xf32>, tensor<1x3x1xui8>) -> tensor<1x3x2xui8>
  return %0 : tensor<1x3x2xui8>
}

// -----

// Signed results saturate to [-128, 127] and convert with fptosi.
// CHECK-LABEL: func.func @quantize_linear_i8
// CHECK:         arith.sitofp %{{.+}} : i8 to f32
// CHECK:         arith.constant -1.280000e+02 : f32
// CHECK:         arith.constant 1.270000e+02 : f32
// CHECK:         arith.fptosi %{{.+}} : f32 to i8
func.func @quantize_linear_i8(%x: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<i8>) -> tensor<4xi8> {
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// A constant unsigned zero point is built signless and converted (the
// tg.constant lowering), so that folding it into the body gives a valid
// arith.constant.
// CHECK-LABEL: func.func @quantize_constant_zero_point
// CHECK:         %[[C:.+]] = arith.constant dense<0> : tensor<i8>
// CHECK:         %[[ZP:.+]] = linalg.generic {{.+}} ins(%[[C]] : tensor<i8>) outs(%{{.+}} : tensor<ui8>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%arg0, %arg1, %[[ZP]] : tensor<4xf32>, tensor<f32>, tensor<ui8>)
func.func @quantize_constant_zero_point(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xui8> {
  %zp = tg.constant dense<0> : tensor<ui8>
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Dequantization subtracts the zero point exactly in i32 and then scales.
// CHECK-LABEL: func.func @dequantize_linear
// CHECK:         linalg.generic
// CHECK:           %[[X:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK:           %[[ZP:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK:           %[[DIFF:.+]] = arith.subi %[[X]], %[[ZP]] : i32
// CHECK:           %[[REAL:.+]] = arith.sitofp %[[DIFF]] : i32 to f32
// CHECK:           arith.mulf %[[REAL]], %{{.+}} : f32
func.func @dequantize_linear(%q: tensor<4xui8>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<4xf32> {
  %0 = tg.dequantize_linear %q, %s, %zp : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Shifts by the bit width or more give 0 rather than poison.
// CHECK-LABEL: func.func @bit_shift
// CHECK:         linalg.generic
// CHECK:           %[[SHIFTED:.+]] = arith.shrui %[[X:.+]], %[[Y:.+]] : i16
// CHECK:           %[[WIDTH:.+]] = arith.constant 16 : i16
// CHECK:           %[[FAR:.+]] = arith.cmpi uge, %[[Y]], %[[WIDTH]] : i16
// CHECK:           %[[ZERO:.+]] = arith.constant 0 : i16
// CHECK:           arith.select %[[FAR]], %[[ZERO]], %[[SHIFTED]] : i16
func.func @bit_shift(%x: tensor<3xui16>, %y: tensor<3xui16>) -> tensor<3xui16> {
  %0 = tg.bit_shift %x, %y {direction = "RIGHT"} : (tensor<3xui16>, tensor<3xui16>) -> tensor<3xui16>
  return %0 : tensor<3xui16>
}

// -----

// Left shifts use shli.
// CHECK-LABEL: func.func @bit_shift_left
// CHECK:         arith.shli %{{.+}}, %{{.+}} : i8
func.func @bit_shift_left(%x: tensor<3xui8>, %y: tensor<ui8>) -> tensor<3xui8> {
  %0 = tg.bit_shift %x, %y {direction = "LEFT"} : (tensor<3xui8>, tensor<ui8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}
