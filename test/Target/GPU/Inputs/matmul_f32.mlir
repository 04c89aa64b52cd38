// An f32 MatMul: the f32 kernel by default, TF32 tensor cores with
// --allow-tf32.
func.func @main(%a: tensor<256x512xf32>, %b: tensor<512x384xf32>) -> tensor<256x384xf32>
    attributes {tessera.input_names = ["a", "b"], tessera.output_names = ["c"]} {
  %c = tg.matmul %a, %b : (tensor<256x512xf32>, tensor<512x384xf32>) -> tensor<256x384xf32>
  return %c : tensor<256x384xf32>
}
