// An unsigned splat constant feeding an elementwise op: the constant is
// built signless (elementwise fusion turns a splat into a scalar
// arith.constant, which must be signless) and the model computes with
// unsigned wrap-around.

// RUN: tessera-opt %s --convert-graph-to-linalg | FileCheck %s --check-prefix=LOWER
// LOWER: arith.constant dense<3> : tensor<4xi8>
// LOWER: linalg.generic
// RUN: rm -rf %t && mkdir -p %t
// RUN: tessera-compile %s -o %t/model.so
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([1, 2, 254, 4], np.uint8))"
// RUN: tessera-run %t/model.so --input %t/x.npy --output-dir %t/out
// RUN: %python -c "import numpy as np; y = np.load('%t/out/output_0.npy'); assert y.dtype == np.uint8 and y.tolist() == [4, 5, 1, 7], y"
func.func @main(%x: tensor<4xui8>) -> tensor<4xui8> {
  %c = tg.constant dense<3> : tensor<4xui8>
  %0 = tg.add %x, %c : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
