// An f16 MatMul: tensor cores (mma.sync m16n8k16) on CUDA.
func.func @main(%a: tensor<256x512xf16>, %b: tensor<512x384xf16>) -> tensor<256x384xf16>
    attributes {tessera.input_names = ["a", "b"], tessera.output_names = ["c"]} {
  %c = tg.matmul %a, %b : (tensor<256x512xf16>, tensor<512x384xf16>) -> tensor<256x384xf16>
  return %c : tensor<256x384xf16>
}
