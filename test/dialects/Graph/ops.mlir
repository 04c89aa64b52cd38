// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// Round trip of every Graph op with its typical attributes, through the
// custom and the generic assembly formats. Attributes equal to their default
// (group = 1, ceil_mode = false) are elided when printed.

// Inline and resource-backed constants.
// CHECK-LABEL: func.func @constant
// CHECK: tg.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: tg.constant dense<[1, 2, 3]> : tensor<3xi64>
// CHECK: tg.constant dense_resource<conv1.weight> : tensor<2x2xf32>
func.func @constant() -> (tensor<4xf32>, tensor<3xi64>, tensor<2x2xf32>) {
  %0 = tg.constant dense<1.0> : tensor<4xf32>
  %1 = tg.constant dense<[1, 2, 3]> : tensor<3xi64>
  %2 = tg.constant dense_resource<conv1.weight> : tensor<2x2xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<3xi64>, tensor<2x2xf32>
}

// Broadcasting binary ops: equal shapes, a trailing vector, a scalar and
// size-1 stretching on both sides; integer elements.
// CHECK-LABEL: func.func @binary
// CHECK: tg.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: tg.sub %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: tg.mul %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: tg.div %{{.*}}, %{{.*}} : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
// CHECK: tg.add %{{.*}}, %{{.*}} : (tensor<?x3xi32>, tensor<3xi32>) -> tensor<?x3xi32>
func.func @binary(%a: tensor<2x3xf32>, %v: tensor<3xf32>, %s: tensor<f32>,
                  %c: tensor<2x1xf32>, %r: tensor<1x3xf32>,
                  %i: tensor<?x3xi32>, %j: tensor<3xi32>) {
  %0 = tg.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tg.sub %a, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = tg.mul %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = tg.div %c, %r : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %4 = tg.add %i, %j : (tensor<?x3xi32>, tensor<3xi32>) -> tensor<?x3xi32>
  return
}

// Unary ops, including the attribute-carrying leaky_relu and clip.
// CHECK-LABEL: func.func @unary
// CHECK: tg.relu %{{.*}} : tensor<2x3xf32>
// CHECK: tg.sigmoid %{{.*}} : tensor<2x3xf32>
// CHECK: tg.tanh %{{.*}} : tensor<2x3xf32>
// CHECK: tg.leaky_relu %{{.*}} : tensor<2x3xf32>
// CHECK: tg.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f32} : tensor<2x3xf32>
// CHECK: tg.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<2x3xf32>
// CHECK: tg.clip %{{.*}} {min = -1.000000e+00 : f64} : tensor<2x3xf32>
// CHECK: tg.clip %{{.*}} : tensor<2x3xf32>
// CHECK: tg.clip %{{.*}} lower %{{.*}} : tensor<f32> upper %{{.*}} : tensor<f32> : tensor<2x3xf32>
// CHECK: tg.clip %{{.*}} upper %{{.*}} : tensor<f32> {min = 0.000000e+00 : f64} : tensor<2x3xf32>
func.func @unary(%x: tensor<2x3xf32>, %lo: tensor<f32>, %hi: tensor<f32>) {
  %0 = tg.relu %x : tensor<2x3xf32>
  %1 = tg.sigmoid %x : tensor<2x3xf32>
  %2 = tg.tanh %x : tensor<2x3xf32>
  %3 = tg.leaky_relu %x : tensor<2x3xf32>
  %4 = tg.leaky_relu %x {alpha = 0.2 : f32} : tensor<2x3xf32>
  %5 = tg.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<2x3xf32>
  %6 = tg.clip %x {min = -1.0 : f64} : tensor<2x3xf32>
  %7 = tg.clip %x : tensor<2x3xf32>
  %8 = tg.clip %x lower %lo : tensor<f32> upper %hi : tensor<f32> : tensor<2x3xf32>
  %9 = tg.clip %x upper %hi : tensor<f32> {min = 0.0 : f64} : tensor<2x3xf32>
  return
}

// Unary math and activations; attributes equal to ONNX's defaults are
// elided.
// CHECK-LABEL: func.func @unary_math
// CHECK: tg.exp %{{.*}} : tensor<2x3xf32>
// CHECK: tg.atanh %{{.*}} : tensor<2x3xf32>
// CHECK: tg.round %{{.*}} : tensor<2x3xf32>
// CHECK: tg.neg %{{.*}} : tensor<2x3xi32>
// CHECK: tg.abs %{{.*}} : tensor<2x3xi32>
// CHECK: tg.sign %{{.*}} : tensor<2x3xf32>
// CHECK: tg.elu %{{.*}} : tensor<2x3xf32>
// CHECK: tg.selu %{{.*}} {alpha = 2.000000e+00 : f32} : tensor<2x3xf32>
// CHECK: tg.hard_sigmoid %{{.*}} {alpha = 5.000000e-01 : f32, beta = 6.000000e-01 : f32} : tensor<2x3xf32>
// CHECK: tg.shrink %{{.*}} {lambd = 1.000000e+00 : f32} : tensor<2x3xf32>
// CHECK: tg.is_nan %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK: tg.is_inf %{{.*}} {detect_positive = false} : (tensor<2x3xf32>) -> tensor<2x3xi1>
func.func @unary_math(%x: tensor<2x3xf32>, %i: tensor<2x3xi32>) {
  %0 = tg.exp %x : tensor<2x3xf32>
  %1 = tg.atanh %x : tensor<2x3xf32>
  %2 = tg.round %x : tensor<2x3xf32>
  %3 = tg.neg %i : tensor<2x3xi32>
  %4 = tg.abs %i : tensor<2x3xi32>
  %5 = tg.sign %x : tensor<2x3xf32>
  %6 = tg.elu %x {alpha = 1.0 : f32} : tensor<2x3xf32>
  %7 = tg.selu %x {alpha = 2.0 : f32} : tensor<2x3xf32>
  %8 = tg.hard_sigmoid %x {alpha = 0.5 : f32, beta = 0.6 : f32} : tensor<2x3xf32>
  %9 = tg.shrink %x {lambd = 1.0 : f32} : tensor<2x3xf32>
  %10 = tg.is_nan %x : (tensor<2x3xf32>) -> tensor<2x3xi1>
  %11 = tg.is_inf %x {detect_positive = false} : (tensor<2x3xf32>) -> tensor<2x3xi1>
  return
}

// Binary ops beyond arithmetic, comparisons, logic and where; unsigned
// elements are allowed.
// CHECK-LABEL: func.func @binary_logic
// CHECK: tg.pow %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x3xf32>
// CHECK: tg.min %{{.*}}, %{{.*}} : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
// CHECK: tg.max %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: tg.mod %{{.*}}, %{{.*}} {fmod = true} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: tg.mod %{{.*}}, %{{.*}} : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
// CHECK: tg.prelu %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: tg.equal %{{.*}}, %{{.*}} : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xi1>
// CHECK: tg.less_equal %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: tg.xor %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK: tg.not %{{.*}} : tensor<2x3xi1>
// CHECK: tg.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
func.func @binary_logic(%x: tensor<2x3xf32>, %y: tensor<3xf32>,
                        %e: tensor<3xi64>, %u: tensor<2x3xui8>) {
  %0 = tg.pow %x, %e : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<2x3xf32>
  %1 = tg.min %u, %u : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
  %2 = tg.max %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = tg.mod %x, %x {fmod = true} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = tg.mod %u, %u {fmod = false} : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
  %5 = tg.prelu %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = tg.equal %u, %u : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xi1>
  %7 = tg.less_equal %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %8 = tg.xor %6, %7 : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  %9 = tg.not %8 : tensor<2x3xi1>
  %10 = tg.where %9, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// Element type conversions.
// CHECK-LABEL: func.func @cast
// CHECK: tg.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xui8>
// CHECK: tg.cast %{{.*}} : tensor<2x3xi1> to tensor<2x3xf16>
func.func @cast(%x: tensor<2x3xf32>, %b: tensor<2x3xi1>) {
  %0 = tg.cast %x : tensor<2x3xf32> to tensor<2x3xui8>
  %1 = tg.cast %b : tensor<2x3xi1> to tensor<2x3xf16>
  return
}

// Expand, tile and slice (a negative step runs backwards).
// CHECK-LABEL: func.func @expand_tile_slice
// CHECK: tg.expand %{{.*}} {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK: tg.tile %{{.*}} {repeats = array<i64: 2, 3>} : (tensor<3x1xf32>) -> tensor<6x3xf32>
// CHECK: tg.slice %{{.*}} {ends = array<i64: -1, 1>, starts = array<i64: 2, 0>, steps = array<i64: -2, 1>} : (tensor<3x1xf32>) -> tensor<2x1xf32>
func.func @expand_tile_slice(%x: tensor<3x1xf32>) {
  %0 = tg.expand %x {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %1 = tg.tile %x {repeats = array<i64: 2, 3>} : (tensor<3x1xf32>) -> tensor<6x3xf32>
  %2 = tg.slice %x {ends = array<i64: -1, 1>, starts = array<i64: 2, 0>, steps = array<i64: -2, 1>} : (tensor<3x1xf32>) -> tensor<2x1xf32>
  return
}

// Gather by run-time indices.
// CHECK-LABEL: func.func @gather
// CHECK: tg.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x5x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
func.func @gather(%x: tensor<2x5x4xf32>, %i: tensor<3xi64>) {
  %0 = tg.gather %x, %i {axis = 1 : i64} : (tensor<2x5x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return
}

// Padding by constant, reflection and edge.
// CHECK-LABEL: func.func @pad
// CHECK: tg.pad %{{.*}} {pads = array<i64: 0, 1, 0, 2>, value = 1.500000e+00 : f64} : (tensor<3x4xf32>) -> tensor<3x7xf32>
// CHECK: tg.pad %{{.*}} {mode = "reflect", pads = array<i64: 1, 0, 2, 0>} : (tensor<3x4xf32>) -> tensor<6x4xf32>
// CHECK: tg.pad %{{.*}} {mode = "edge", pads = array<i64: 0, 5, 0, 0>} : (tensor<3x4xf32>) -> tensor<3x9xf32>
func.func @pad(%x: tensor<3x4xf32>) {
  %0 = tg.pad %x {pads = array<i64: 0, 1, 0, 2>, value = 1.5 : f64} : (tensor<3x4xf32>) -> tensor<3x7xf32>
  %1 = tg.pad %x {mode = "reflect", pads = array<i64: 1, 0, 2, 0>} : (tensor<3x4xf32>) -> tensor<6x4xf32>
  %2 = tg.pad %x {mode = "edge", pads = array<i64: 0, 5, 0, 0>} : (tensor<3x4xf32>) -> tensor<3x9xf32>
  return
}

// Convolution with bias (ResNet stem), without bias, grouped (depthwise),
// dilated, and 1-D.
// CHECK-LABEL: func.func @conv
// CHECK: tg.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
// CHECK: tg.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-SAME: : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x218x218xf32>
// CHECK: tg.conv {{.*}}group = 8 : i64{{.*}} : (tensor<2x8x10x10xf32>, tensor<8x1x3x3xf32>) -> tensor<2x8x10x10xf32>
// CHECK: tg.conv {{.*}}dilations = array<i64: 2, 2>{{.*}} : (tensor<2x8x10x10xf32>, tensor<4x8x3x3xf32>) -> tensor<2x4x6x6xf32>
// CHECK: tg.conv {{.*}} : (tensor<1x4x16xf32>, tensor<8x4x3xf32>, tensor<8xf32>) -> tensor<1x8x7xf32>
func.func @conv(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>,
                %b: tensor<64xf32>, %y: tensor<2x8x10x10xf32>,
                %dw: tensor<8x1x3x3xf32>, %w2: tensor<4x8x3x3xf32>,
                %z: tensor<1x4x16xf32>, %w1: tensor<8x4x3xf32>,
                %b1: tensor<8xf32>) {
  %0 = tg.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64,
         pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
       : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
         -> tensor<1x64x112x112xf32>
  %1 = tg.conv %x, %w {dilations = array<i64: 1, 1>,
         pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>)
         -> tensor<1x64x218x218xf32>
  %2 = tg.conv %y, %dw {dilations = array<i64: 1, 1>, group = 8 : i64,
         pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
       : (tensor<2x8x10x10xf32>, tensor<8x1x3x3xf32>) -> tensor<2x8x10x10xf32>
  %3 = tg.conv %y, %w2 {dilations = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
       : (tensor<2x8x10x10xf32>, tensor<4x8x3x3xf32>) -> tensor<2x4x6x6xf32>
  %4 = tg.conv %z, %w1, %b1 {dilations = array<i64: 1>, pads = array<i64: 0, 0>,
         strides = array<i64: 2>}
       : (tensor<1x4x16xf32>, tensor<8x4x3xf32>, tensor<8xf32>) -> tensor<1x8x7xf32>
  return
}

// MatMul: 2-D, vector on either side, batched, broadcast batch dimensions.
// CHECK-LABEL: func.func @matmul
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<16xf32>, tensor<16x32xf32>) -> tensor<32xf32>
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4xf32>
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<16xf32>, tensor<16xf32>) -> tensor<f32>
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<8x4x16xf32>, tensor<8x16x32xf32>) -> tensor<8x4x32xf32>
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<8x4x16xf32>, tensor<16x32xf32>) -> tensor<8x4x32xf32>
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<2x1x4x16xf32>, tensor<3x16x32xf32>) -> tensor<2x3x4x32xf32>
func.func @matmul(%a: tensor<4x16xf32>, %b: tensor<16x32xf32>,
                  %v: tensor<16xf32>, %ba: tensor<8x4x16xf32>,
                  %bb: tensor<8x16x32xf32>, %ca: tensor<2x1x4x16xf32>,
                  %cb: tensor<3x16x32xf32>) {
  %0 = tg.matmul %a, %b : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
  %1 = tg.matmul %v, %b : (tensor<16xf32>, tensor<16x32xf32>) -> tensor<32xf32>
  %2 = tg.matmul %a, %v : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4xf32>
  %3 = tg.matmul %v, %v : (tensor<16xf32>, tensor<16xf32>) -> tensor<f32>
  %4 = tg.matmul %ba, %bb : (tensor<8x4x16xf32>, tensor<8x16x32xf32>) -> tensor<8x4x32xf32>
  %5 = tg.matmul %ba, %b : (tensor<8x4x16xf32>, tensor<16x32xf32>) -> tensor<8x4x32xf32>
  %6 = tg.matmul %ca, %cb : (tensor<2x1x4x16xf32>, tensor<3x16x32xf32>) -> tensor<2x3x4x32xf32>
  return
}

// Gemm: the classifier head (trans_b with a vector bias), both transposes
// with alpha/beta and a 2-D C, and no C at all.
// CHECK-LABEL: func.func @gemm
// CHECK: tg.gemm %{{.*}}, %{{.*}}, %{{.*}} {trans_b = true} : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
// CHECK: tg.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_a = true, trans_b = true}
// CHECK-SAME: : (tensor<512x1xf32>, tensor<1000x512xf32>, tensor<1x1000xf32>) -> tensor<1x1000xf32>
// CHECK: tg.gemm %{{.*}}, %{{.*}} : (tensor<1x512xf32>, tensor<512x1000xf32>) -> tensor<1x1000xf32>
func.func @gemm(%a: tensor<1x512xf32>, %at: tensor<512x1xf32>,
                %b: tensor<1000x512xf32>, %bn: tensor<512x1000xf32>,
                %c: tensor<1000xf32>, %c2: tensor<1x1000xf32>) {
  %0 = tg.gemm %a, %b, %c {trans_b = true}
       : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
  %1 = tg.gemm %at, %b, %c2 {alpha = 0.5 : f32, beta = 2.0 : f32, trans_a = true, trans_b = true}
       : (tensor<512x1xf32>, tensor<1000x512xf32>, tensor<1x1000xf32>) -> tensor<1x1000xf32>
  %2 = tg.gemm %a, %bn : (tensor<1x512xf32>, tensor<512x1000xf32>) -> tensor<1x1000xf32>
  return
}

// Pooling: max pool with pads, average pool with ceil_mode and
// count_include_pad, global average pool.
// CHECK-LABEL: func.func @pool
// CHECK: tg.max_pool %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
// CHECK: tg.average_pool %{{.*}} {ceil_mode = true, count_include_pad = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xf32>
// CHECK: tg.average_pool %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
// CHECK-SAME: : (tensor<1x8x5x5xf32>) -> tensor<1x8x2x2xf32>
// CHECK: tg.global_average_pool %{{.*}} : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
func.func @pool(%x: tensor<1x64x112x112xf32>, %y: tensor<1x8x5x5xf32>,
                %z: tensor<1x512x7x7xf32>) {
  %0 = tg.max_pool %x {ceil_mode = false, dilations = array<i64: 1, 1>,
         kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>,
         strides = array<i64: 2, 2>}
       : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %1 = tg.average_pool %y {ceil_mode = true, count_include_pad = true,
         dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>,
         pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
       : (tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xf32>
  %2 = tg.average_pool %y {dilations = array<i64: 1, 1>,
         kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
         strides = array<i64: 2, 2>}
       : (tensor<1x8x5x5xf32>) -> tensor<1x8x2x2xf32>
  %3 = tg.global_average_pool %z : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
  return
}

// Inference-mode batch normalization, default and explicit epsilon.
// CHECK-LABEL: func.func @batch_norm
// CHECK: tg.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} :
// CHECK-SAME: (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
// CHECK: tg.batch_norm {{.*}} {epsilon = 1.000000e-03 : f32}
func.func @batch_norm(%x: tensor<1x64x56x56xf32>, %s: tensor<64xf32>,
                      %b: tensor<64xf32>, %m: tensor<64xf32>,
                      %v: tensor<64xf32>) {
  %0 = tg.batch_norm %x, %s, %b, %m, %v
       : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>)
         -> tensor<1x64x56x56xf32>
  %1 = tg.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32}
       : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>)
         -> tensor<1x64x56x56xf32>
  return
}

// Softmax and log-softmax with the default and an explicit (negative) axis.
// CHECK-LABEL: func.func @softmax
// CHECK: tg.softmax %{{.*}} : tensor<2x10xf32>
// CHECK: tg.softmax %{{.*}} {axis = 0 : i64} : tensor<2x10xf32>
// CHECK: tg.log_softmax %{{.*}} : tensor<2x10xf32>
// CHECK: tg.log_softmax %{{.*}} {axis = -2 : i64} : tensor<2x10xf32>
func.func @softmax(%x: tensor<2x10xf32>) {
  %0 = tg.softmax %x : tensor<2x10xf32>
  %1 = tg.softmax %x {axis = 0 : i64} : tensor<2x10xf32>
  %2 = tg.log_softmax %x : tensor<2x10xf32>
  %3 = tg.log_softmax %x {axis = -2 : i64} : tensor<2x10xf32>
  return
}

// Reshape with 0 (copy a dimension), -1 (inferred), allowzero, and a
// dynamic input.
// CHECK-LABEL: func.func @reshape
// CHECK: tg.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK: tg.reshape %{{.*}} {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK: tg.reshape %{{.*}} {allowzero = true, shape = array<i64: 0, 5>} : (tensor<0x5xf32>) -> tensor<0x5xf32>
// CHECK: tg.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<?x3x4xf32>) -> tensor<?x?xf32>
func.func @reshape(%x: tensor<2x3x4xf32>, %e: tensor<0x5xf32>,
                   %d: tensor<?x3x4xf32>) {
  %0 = tg.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %1 = tg.reshape %x {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  %2 = tg.reshape %e {allowzero = true, shape = array<i64: 0, 5>} : (tensor<0x5xf32>) -> tensor<0x5xf32>
  %3 = tg.reshape %d {shape = array<i64: 0, -1>} : (tensor<?x3x4xf32>) -> tensor<?x?xf32>
  return
}

// Reshape by a shape known at run time, to a static result type.
// CHECK-LABEL: func.func @dynamic_reshape
// CHECK: tg.dynamic_reshape %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<4x2x3xf32>
// CHECK: tg.dynamic_reshape %{{.*}}, %{{.*}} {allowzero = true} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
func.func @dynamic_reshape(%x: tensor<2x3x4xf32>, %s: tensor<3xi64>,
                           %t: tensor<2xi64>) {
  %0 = tg.dynamic_reshape %x, %s : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<4x2x3xf32>
  %1 = tg.dynamic_reshape %x, %t {allowzero = true} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  return
}

// Flatten with the default axis, axis 0 and a negative axis.
// CHECK-LABEL: func.func @flatten
// CHECK: tg.flatten %{{.*}} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
// CHECK: tg.flatten %{{.*}} {axis = 0 : i64} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
// CHECK: tg.flatten %{{.*}} {axis = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
func.func @flatten(%x: tensor<1x512x1x1xf32>, %y: tensor<2x3x4xf32>) {
  %0 = tg.flatten %x : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
  %1 = tg.flatten %x {axis = 0 : i64} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
  %2 = tg.flatten %y {axis = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return
}

// Transpose: swap the last two dimensions, and NCHW -> NHWC.
// CHECK-LABEL: func.func @transpose
// CHECK: tg.transpose %{{.*}} {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
// CHECK: tg.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x8x9xf32>) -> tensor<1x8x9x3xf32>
func.func @transpose(%x: tensor<2x3x4xf32>, %y: tensor<1x3x8x9xf32>) {
  %0 = tg.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %1 = tg.transpose %y {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x8x9xf32>) -> tensor<1x8x9x3xf32>
  return
}

// Concat along channels, along a negative axis, a dynamic input, and a
// single input.
// CHECK-LABEL: func.func @concat
// CHECK: tg.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x3x4xf32>, tensor<1x5x4xf32>) -> tensor<1x8x4xf32>
// CHECK: tg.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x12xf32>
// CHECK: tg.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x3x4xf32>, tensor<1x?x4xf32>) -> tensor<1x?x4xf32>
// CHECK: tg.concat %{{.*}} {axis = 0 : i64} : (tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
func.func @concat(%a: tensor<1x3x4xf32>, %b: tensor<1x5x4xf32>,
                  %d: tensor<1x?x4xf32>) {
  %0 = tg.concat %a, %b {axis = 1 : i64} : (tensor<1x3x4xf32>, tensor<1x5x4xf32>) -> tensor<1x8x4xf32>
  %1 = tg.concat %a, %a, %a {axis = -1 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x12xf32>
  %2 = tg.concat %a, %d {axis = 1 : i64} : (tensor<1x3x4xf32>, tensor<1x?x4xf32>) -> tensor<1x?x4xf32>
  %3 = tg.concat %a {axis = 0 : i64} : (tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return
}

// A written result type may be less static than the inferred one.
// CHECK-LABEL: func.func @less_static_result
// CHECK: tg.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
// CHECK: tg.matmul %{{.*}}, %{{.*}} : (tensor<?x16xf32>, tensor<16x32xf32>) -> tensor<?x32xf32>
func.func @less_static_result(%a: tensor<2x3xf32>, %b: tensor<?x16xf32>,
                              %c: tensor<16x32xf32>) {
  %0 = tg.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  %1 = tg.matmul %b, %c : (tensor<?x16xf32>, tensor<16x32xf32>) -> tensor<?x32xf32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      conv1.weight: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
