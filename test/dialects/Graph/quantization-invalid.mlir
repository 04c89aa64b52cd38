// RUN: tessera-opt %s --split-input-file --verify-diagnostics

// Quantization needs a floating-point input.
func.func @quantize_int_input(%x: tensor<4xi32>, %s: tensor<i32>, %zp: tensor<ui8>) -> tensor<4xui8> {
  // expected-error @+2 {{expects a floating-point input, got 'i32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<4xi32>, tensor<i32>, tensor<ui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// The zero point (and so the result) is 8-bit.
func.func @quantize_wide_zero_point(%x: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<i16>) -> tensor<4xi16> {
  // expected-error @+2 {{zero point must have 8-bit integer elements (i8, si8 or ui8), got 'i16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<i16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

// The scale has the input's float type.
func.func @quantize_scale_type(%x: tensor<4xf32>, %s: tensor<f16>, %zp: tensor<ui8>) -> tensor<4xui8> {
  // expected-error @+2 {{scale element type 'f16' differs from the input's 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f16>, tensor<ui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// A per-axis scale must broadcast onto the input without enlarging it.
func.func @quantize_scale_shape(%x: tensor<1x3x2xf32>, %s: tensor<1x4x1xf32>, %zp: tensor<ui8>) -> tensor<1x3x2xui8> {
  // expected-error @+2 {{'scale' of type 'tensor<1x4x1xf32>' does not broadcast onto the input 'tensor<1x3x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<1x3x2xf32>, tensor<1x4x1xf32>, tensor<ui8>) -> tensor<1x3x2xui8>
  return %0 : tensor<1x3x2xui8>
}

// -----

// The result element type is the zero point's.
func.func @quantize_result_type(%x: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<4xi8> {
  // expected-error @+2 {{'tg.quantize_linear' op inferred type(s) 'tensor<4xui8>' are incompatible with return type(s) of operation 'tensor<4xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.quantize_linear %x, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// The zero point of a dequantization has the input's type.
func.func @dequantize_zero_point_type(%q: tensor<4xui8>, %s: tensor<f32>, %zp: tensor<i8>) -> tensor<4xf32> {
  // expected-error @+2 {{zero point element type 'i8' differs from the input's 'ui8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.dequantize_linear %q, %s, %zp : (tensor<4xui8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Dequantization takes 8-bit or 32-bit integers.
func.func @dequantize_float_input(%q: tensor<4xf32>, %s: tensor<f32>, %zp: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+2 {{expects 8-bit or 32-bit integer input elements, got 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.dequantize_linear %q, %s, %zp : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Dequantization needs a floating-point scale.
func.func @dequantize_int_scale(%q: tensor<4xui8>, %s: tensor<i32>, %zp: tensor<ui8>) -> tensor<4xi32> {
  // expected-error @+2 {{expects a floating-point scale, got 'i32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.dequantize_linear %q, %s, %zp : (tensor<4xui8>, tensor<i32>, tensor<ui8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Shifts are defined on unsigned integers only.
func.func @bit_shift_signed(%x: tensor<3xi8>, %y: tensor<3xi8>) -> tensor<3xi8> {
  // expected-error @+1 {{expects unsigned integer elements, got 'i8'}}
  %0 = tg.bit_shift %x, %y {direction = "LEFT"} : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi8>
  return %0 : tensor<3xi8>
}

// -----

func.func @bit_shift_direction(%x: tensor<3xui8>, %y: tensor<3xui8>) -> tensor<3xui8> {
  // expected-error @+1 {{unknown direction 'UP' (expected LEFT or RIGHT)}}
  %0 = tg.bit_shift %x, %y {direction = "UP"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// -----

// Both operands have the same type.
func.func @bit_shift_types(%x: tensor<3xui8>, %y: tensor<3xui16>) -> tensor<3xui8> {
  // expected-error @+2 {{operand element types differ: 'ui8' vs 'ui16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = tg.bit_shift %x, %y {direction = "LEFT"} : (tensor<3xui8>, tensor<3xui16>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}
