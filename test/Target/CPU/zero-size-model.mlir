// A model whose input and output have no elements compiles and runs.

// RUN: rm -rf %t && mkdir -p %t
// RUN: tessera-compile %s -o %t/model.so
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.zeros((0, 3), np.float32))"
// RUN: tessera-run %t/model.so --input %t/x.npy --output-dir %t/out | FileCheck %s
// CHECK: output 0 '{{.*}}': float32 3x0
// RUN: %python -c "import numpy as np; y = np.load('%t/out/output_0.npy'); assert y.shape == (3, 0), y.shape"
func.func @main(%arg0: tensor<0x3xf32>) -> tensor<3x0xf32>
    attributes {tessera.input_names = ["data"]} {
  %0 = tg.reshape %arg0 {shape = array<i64: 3, 0>, allowzero = true} : (tensor<0x3xf32>) -> tensor<3x0xf32>
  return %0 : tensor<3x0xf32>
}
