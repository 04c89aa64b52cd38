// A model whose output is its input: a copy, no kernel.
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {tessera.input_names = ["x"], tessera.output_names = ["y"]} {
  return %x : tensor<4xf32>
}
