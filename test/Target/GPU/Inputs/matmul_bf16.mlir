// A bf16 MatMul between f32 inputs and output (the artifact ABI has no
// bf16): tensor cores (mma.sync m16n8k16 bf16) on CUDA.
func.func @main(%a: tensor<100x70xf32>, %b: tensor<70x50xf32>) -> tensor<100x50xf32>
    attributes {tessera.input_names = ["a", "b"], tessera.output_names = ["c"]} {
  %a16 = tg.cast %a : tensor<100x70xf32> to tensor<100x70xbf16>
  %b16 = tg.cast %b : tensor<70x50xf32> to tensor<70x50xbf16>
  %c16 = tg.matmul %a16, %b16 : (tensor<100x70xbf16>, tensor<70x50xbf16>) -> tensor<100x50xbf16>
  %c = tg.cast %c16 : tensor<100x50xbf16> to tensor<100x50xf32>
  return %c : tensor<100x50xf32>
}
