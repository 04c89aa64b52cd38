// A one-op tuning workload: a 32x64x64 matmul.
func.func @main(%a: tensor<32x64xf32>, %b: tensor<64x64xf32>) -> tensor<32x64xf32> {
  %r = tg.matmul %a, %b : (tensor<32x64xf32>, tensor<64x64xf32>) -> tensor<32x64xf32>
  return %r : tensor<32x64xf32>
}
