// A bf16 MatMul (100 x 72 x 200) between f32 inputs and output: rows of 16
// bytes, partial tiles.
func.func @main(%a: tensor<100x72xf32>, %b: tensor<72x200xf32>) -> tensor<100x200xf32>
    attributes {tessera.input_names = ["a", "b"], tessera.output_names = ["c"]} {
  %a16 = tg.cast %a : tensor<100x72xf32> to tensor<100x72xbf16>
  %b16 = tg.cast %b : tensor<72x200xf32> to tensor<72x200xbf16>
  %c16 = tg.matmul %a16, %b16 : (tensor<100x72xbf16>, tensor<72x200xbf16>) -> tensor<100x200xbf16>
  %c = tg.cast %c16 : tensor<100x200xbf16> to tensor<100x200xf32>
  return %c : tensor<100x200xf32>
}
