// Model inputs and outputs without elements are rejected with an error that
// names them (the artifact ABI passes one pointer per tensor).

// RUN: not tessera-compile %s -o %t.so 2>&1 | FileCheck %s

// CHECK: error: input 'data' has no elements ('tensor<0x3xf32>'); zero-size model inputs and outputs are not supported yet
// CHECK: error: output 'output0' has no elements ('tensor<3x0xf32>')
func.func @main(%arg0: tensor<0x3xf32>) -> tensor<3x0xf32>
    attributes {tessera.input_names = ["data"]} {
  %0 = tg.reshape %arg0 {shape = array<i64: 3, 0>, allowzero = true} : (tensor<0x3xf32>) -> tensor<3x0xf32>
  return %0 : tensor<3x0xf32>
}
