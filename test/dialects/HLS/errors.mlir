// RUN: tessera-opt %s --split-input-file --thls-outline-kernels --verify-diagnostics

// Kernels are carved from buffers, not tensors.
func.func @tensors(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{cannot become an HLS kernel: it works on tensors; bufferize first}}
  %r = linalg.copy ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A port must be a static, contiguous buffer.
func.func @dynamic(%x: memref<?xf32>, %y: memref<?xf32>) {
  // expected-error @+1 {{cannot become an HLS kernel: operand buffer 'memref<?xf32>' is not a static, contiguous memref}}
  linalg.copy ins(%x : memref<?xf32>) outs(%y : memref<?xf32>)
  return
}
