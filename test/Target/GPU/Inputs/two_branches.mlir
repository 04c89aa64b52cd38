// Two independent chains of products from one input, joined by an add:
// x -> A1 -> A2 \
//                + -> y
// x -> B1 -> B2 /
func.func @main(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> tensor<64x64xf32>
    attributes {tessera.input_names = ["x", "w"], tessera.output_names = ["y"]} {
  %a1 = tg.matmul %x, %w : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32> loc("A1")
  %b1 = tg.matmul %w, %x : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32> loc("B1")
  %a2 = tg.matmul %a1, %w : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32> loc("A2")
  %b2 = tg.matmul %b1, %x : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32> loc("B2")
  %y = tg.add %a2, %b2 : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32> loc("Y")
  return %y : tensor<64x64xf32>
}
