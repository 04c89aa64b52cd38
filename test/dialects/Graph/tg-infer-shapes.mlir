// RUN: tessera-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(tg-infer-shapes))' | FileCheck %s

// A specialized argument type flows to every op and to the function result.
// CHECK-LABEL: func.func @refine
// CHECK-SAME: -> tensor<1x8xf32>
// CHECK: tg.add {{.*}} -> tensor<1x8xf32>
func.func @refine(%x: tensor<1x8xf32>) -> tensor<?x8xf32> {
  %y = tg.relu %x : tensor<1x8xf32>
  %z = tg.add %y, %y : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<?x8xf32>
  return %z : tensor<?x8xf32>
}

// -----

// A dynamic batch dimension flows through a small CNN: conv, pooling,
// flatten, gemm (with a static bias row of size 1) and softmax keep it `?`
// while every static dimension is inferred.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK-SAME: -> tensor<?x10xf32>
// CHECK: tg.conv {{.*}} -> tensor<?x8x16x16xf32>
// CHECK: tg.relu {{.*}} : tensor<?x8x16x16xf32>
// CHECK: tg.max_pool {{.*}} -> tensor<?x8x8x8xf32>
// CHECK: tg.global_average_pool {{.*}} -> tensor<?x8x1x1xf32>
// CHECK: tg.flatten {{.*}} -> tensor<?x8xf32>
// CHECK: tg.gemm {{.*}} -> tensor<?x10xf32>
// CHECK: tg.softmax {{.*}} : tensor<?x10xf32>
func.func @dynamic_batch(%x: tensor<?x3x32x32xf32>, %w: tensor<8x3x3x3xf32>,
                         %fc: tensor<10x8xf32>, %b: tensor<1x10xf32>)
    -> tensor<?x?xf32> {
  %0 = tg.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
         strides = array<i64: 2, 2>}
       : (tensor<?x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  %1 = tg.relu %0 : tensor<?x?x?x?xf32>
  %2 = tg.max_pool %1 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
       : (tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %3 = tg.global_average_pool %2 : (tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %4 = tg.flatten %3 : (tensor<?x?x?x?xf32>) -> tensor<?x?xf32>
  %5 = tg.gemm %4, %fc, %b {trans_b = true}
       : (tensor<?x?xf32>, tensor<10x8xf32>, tensor<1x10xf32>) -> tensor<?x?xf32>
  %6 = tg.softmax %5 : tensor<?x?xf32>
  return %6 : tensor<?x?xf32>
}

// -----

// Dynamic dimensions broadcast against 1 and against static sizes; a dynamic
// spatial size stays dynamic through a window op; a dynamic concat operand
// makes the concatenated dimension dynamic; a gemm bias with a static row
// count is accepted for a dynamic M.
// CHECK-LABEL: func.func @dynamic_dims
// CHECK: tg.add {{.*}} -> tensor<?x4xf32>
// CHECK: tg.mul {{.*}} -> tensor<3x4xf32>
// CHECK: tg.matmul {{.*}} -> tensor<?x5x2xf32>
// CHECK: tg.average_pool {{.*}} -> tensor<1x2x?x3xf32>
// CHECK: tg.concat {{.*}} -> tensor<?x4xf32>
// CHECK: tg.reshape {{.*}} -> tensor<?x2x2xf32>
// CHECK: tg.gemm {{.*}} -> tensor<?x2xf32>
func.func @dynamic_dims(%a: tensor<?x4xf32>, %b: tensor<1x4xf32>,
                        %c: tensor<3x1xf32>, %m: tensor<?x5x8xf32>,
                        %n: tensor<8x2xf32>, %p: tensor<1x2x?x7xf32>,
                        %k: tensor<4x2xf32>, %bias: tensor<3x2xf32>) {
  %0 = tg.add %a, %b : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x?xf32>
  %1 = tg.mul %a, %c : (tensor<?x4xf32>, tensor<3x1xf32>) -> tensor<?x?xf32>
  %2 = tg.matmul %m, %n : (tensor<?x5x8xf32>, tensor<8x2xf32>) -> tensor<?x?x?xf32>
  %3 = tg.average_pool %p {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>,
         pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
       : (tensor<1x2x?x7xf32>) -> tensor<?x?x?x?xf32>
  %4 = tg.concat %a, %b {axis = 0 : i64} : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x?xf32>
  %5 = tg.reshape %a {shape = array<i64: 0, 2, 2>} : (tensor<?x4xf32>) -> tensor<?x?x?xf32>
  %6 = tg.gemm %a, %k, %bias : (tensor<?x4xf32>, tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<?x?xf32>
  return
}

// -----

// ceil_mode rounds the window count up: 5 with kernel 2, stride 2 gives 3
// windows (the last one covers a single input element) instead of 2.
// CHECK-LABEL: func.func @ceil_mode
// CHECK: tg.max_pool {{.*}} -> tensor<1x1x3x3xf32>
// CHECK: tg.max_pool {{.*}} -> tensor<1x1x2x2xf32>
func.func @ceil_mode(%x: tensor<1x1x5x5xf32>) {
  %0 = tg.max_pool %x {ceil_mode = true, dilations = array<i64: 1, 1>,
         kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         strides = array<i64: 2, 2>}
       : (tensor<1x1x5x5xf32>) -> tensor<?x?x?x?xf32>
  %1 = tg.max_pool %x {ceil_mode = false, dilations = array<i64: 1, 1>,
         kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         strides = array<i64: 2, 2>}
       : (tensor<1x1x5x5xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// With ceil_mode a last window that would start inside the end padding is
// dropped (the ONNX and PyTorch rule): size 4, kernel 2, stride 2, pads
// 0+1 gives ceil(3/2)+1 = 3 windows, but the third starts at position 4,
// which is padding, so 2 remain. With size 7, kernel 3, stride 2, pads 0+1
// the fourth window starts at 6, inside the input, and is kept: 4 (floor
// mode gives 3).
// CHECK-LABEL: func.func @ceil_mode_end_padding
// CHECK: tg.average_pool {{.*}} -> tensor<1x1x2x2xf32>
// CHECK: tg.average_pool {{.*}} -> tensor<1x1x4x4xf32>
// CHECK: tg.average_pool {{.*}} -> tensor<1x1x3x3xf32>
func.func @ceil_mode_end_padding(%x: tensor<1x1x4x4xf32>, %y: tensor<1x1x7x7xf32>) {
  %0 = tg.average_pool %x {ceil_mode = true, dilations = array<i64: 1, 1>,
         kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>,
         strides = array<i64: 2, 2>}
       : (tensor<1x1x4x4xf32>) -> tensor<?x?x?x?xf32>
  %1 = tg.average_pool %y {ceil_mode = true, dilations = array<i64: 1, 1>,
         kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 1, 1>,
         strides = array<i64: 2, 2>}
       : (tensor<1x1x7x7xf32>) -> tensor<?x?x?x?xf32>
  %2 = tg.average_pool %y {dilations = array<i64: 1, 1>,
         kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 1, 1>,
         strides = array<i64: 2, 2>}
       : (tensor<1x1x7x7xf32>) -> tensor<?x?x?x?xf32>
  return
}

// -----

// Dilation d spreads a kernel k over d*(k-1)+1 positions: 10 with a 3x3
// kernel and dilation 2 gives 6; with stride 2 and pads 2+2, (10+4-5)/2+1 = 5;
// a dilated max pool follows the same rule.
// CHECK-LABEL: func.func @dilated_conv
// CHECK: tg.conv {{.*}} -> tensor<1x4x6x8xf32>
// CHECK: tg.conv {{.*}} -> tensor<1x4x5x5xf32>
// CHECK: tg.max_pool {{.*}} -> tensor<1x8x4x4xf32>
func.func @dilated_conv(%x: tensor<1x8x10x10xf32>, %w: tensor<4x8x3x3xf32>) {
  %0 = tg.conv %x, %w {dilations = array<i64: 2, 1>, pads = array<i64: 0, 0, 0, 0>,
         strides = array<i64: 1, 1>}
       : (tensor<1x8x10x10xf32>, tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32>
  %1 = tg.conv %x, %w {dilations = array<i64: 2, 2>, pads = array<i64: 2, 2, 2, 2>,
         strides = array<i64: 2, 2>}
       : (tensor<1x8x10x10xf32>, tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32>
  %2 = tg.max_pool %x {dilations = array<i64: 3, 3>, kernel_shape = array<i64: 3, 3>,
         pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x8x10x10xf32>) -> tensor<?x?x?x?xf32>
  return
}
