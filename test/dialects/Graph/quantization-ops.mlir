// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// Per-tensor quantization to ui8 and per-axis quantization to i8 (the scale
// and zero point already broadcast along the channel dimension).
// CHECK-LABEL: func.func @quantize_linear
func.func @quantize_linear(%x: tensor<1x3x2xf32>, %s: tensor<f32>, %zp: tensor<ui8>, %sc: tensor<1x3x1xf32>, %zpc: tensor<1x3x1xi8>) -> (tensor<1x3x2xui8>, tensor<1x3x2xi8>) {
  // CHECK: tg.quantize_linear %{{.+}}, %{{.+}}, %{{.+}} : (tensor<1x3x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x2xui8>
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<1x3x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x2xui8>
  // CHECK: tg.quantize_linear %{{.+}}, %{{.+}}, %{{.+}} : (tensor<1x3x2xf32>, tensor<1x3x1xf32>, tensor<1x3x1xi8>) -> tensor<1x3x2xi8>
  %1 = tg.quantize_linear %x, %sc, %zpc : (tensor<1x3x2xf32>, tensor<1x3x1xf32>, tensor<1x3x1xi8>) -> tensor<1x3x2xi8>
  return %0, %1 : tensor<1x3x2xui8>, tensor<1x3x2xi8>
}

// Dequantization of ui8 and of i32 (whose zero point is i32 too); a
// written result may be less static than the inferred one.
// CHECK-LABEL: func.func @dequantize_linear
func.func @dequantize_linear(%q: tensor<4xui8>, %s: tensor<f32>, %zp: tensor<ui8>, %acc: tensor<2x4xi32>, %zp32: tensor<i32>) -> (tensor<?xf32>, tensor<2x4xf32>) {
  // CHECK: tg.dequantize_linear %{{.+}}, %{{.+}}, %{{.+}} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<?xf32>
  %0 = tg.dequantize_linear %q, %s, %zp : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<?xf32>
  // CHECK: tg.dequantize_linear %{{.+}}, %{{.+}}, %{{.+}} : (tensor<2x4xi32>, tensor<f32>, tensor<i32>) -> tensor<2x4xf32>
  %1 = tg.dequantize_linear %acc, %s, %zp32 : (tensor<2x4xi32>, tensor<f32>, tensor<i32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<?xf32>, tensor<2x4xf32>
}

// Shifts of unsigned integers with broadcasting of the shift amount.
// CHECK-LABEL: func.func @bit_shift
func.func @bit_shift(%x: tensor<2x3xui32>, %y: tensor<3xui32>) -> (tensor<2x3xui32>, tensor<2x3xui32>) {
  // CHECK: tg.bit_shift %{{.+}}, %{{.+}} {direction = "LEFT"} : (tensor<2x3xui32>, tensor<3xui32>) -> tensor<2x3xui32>
  %0 = tg.bit_shift %x, %y {direction = "LEFT"} : (tensor<2x3xui32>, tensor<3xui32>) -> tensor<2x3xui32>
  // CHECK: tg.bit_shift %{{.+}}, %{{.+}} {direction = "RIGHT"} : (tensor<2x3xui32>, tensor<3xui32>) -> tensor<2x3xui32>
  %1 = tg.bit_shift %x, %y {direction = "RIGHT"} : (tensor<2x3xui32>, tensor<3xui32>) -> tensor<2x3xui32>
  return %0, %1 : tensor<2x3xui32>, tensor<2x3xui32>
}
