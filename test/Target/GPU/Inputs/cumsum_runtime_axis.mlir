// CumSum whose axis is a run-time input (Graph dialect, as imported).
func.func @main(%x: tensor<2x3xf32>, %axis: tensor<i32>) -> tensor<2x3xf32>
    attributes {tessera.input_names = ["x", "axis"], tessera.output_names = ["y"]} {
  %0 = tg.cumsum %x runtime_axis %axis : tensor<i32> : tensor<2x3xf32> loc("CumSum_0")
  return %0 : tensor<2x3xf32>
}
