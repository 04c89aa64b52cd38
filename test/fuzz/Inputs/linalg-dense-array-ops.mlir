// Well-formed linalg.transpose, linalg.broadcast and linalg.reduce: the ops
// whose malformed forms crash upstream MLIR 22's parser.
func.func @ops(%a: tensor<4x3xf32>, %t: tensor<3x4xf32>, %v: tensor<4xf32>,
               %b: tensor<4x3xf32>) -> (tensor<3x4xf32>, tensor<4x3xf32>, tensor<4xf32>) {
  %0 = linalg.transpose ins(%a : tensor<4x3xf32>) outs(%t : tensor<3x4xf32>) permutation = [1, 0]
  %1 = linalg.broadcast ins(%v : tensor<4xf32>) outs(%b : tensor<4x3xf32>) dimensions = [1]
  %2 = linalg.reduce ins(%a : tensor<4x3xf32>) outs(%v : tensor<4xf32>) dimensions = [1]
    (%x: f32, %y: f32) {
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
    }
  return %0, %1, %2 : tensor<3x4xf32>, tensor<4x3xf32>, tensor<4xf32>
}
