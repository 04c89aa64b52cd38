// MobileNetV2's stride-2 depthwise convolution of 144 channels as the ONNX
// importer gives it: the folded batch norm is the conv's bias, then ReLU6.
func.func @main(%x: tensor<1x144x56x56xf32>, %w: tensor<144x1x3x3xf32>, %b: tensor<144xf32>) -> tensor<1x144x28x28xf32> {
  %c = tg.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 144 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x144x56x56xf32>, tensor<144x1x3x3xf32>, tensor<144xf32>) -> tensor<1x144x28x28xf32>
  %r = tg.clip %c {max = 6.0 : f64, min = 0.0 : f64} : tensor<1x144x28x28xf32>
  return %r : tensor<1x144x28x28xf32>
}
