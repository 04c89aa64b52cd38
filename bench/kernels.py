"""One-node ONNX models for bench/run.py's kernel sweeps: MatMul (A[M,K]
input x constant B[K,N]) and Conv (input x constant weights + bias), with the
shapes of the benchmark models, their FLOP counts and float64 references.

Weights are constants so that Tessera sees what it sees in a real model
(compile-time weight transforms included); the input is a graph input, fed
from a seeded .npy file to Tessera and onnxruntime alike.
"""

import collections

import numpy as np

OPSET = 14

# (M, N, K): square, ResNet-18's im2col contractions, the final FC layer.
GEMMS = [
    (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
    (64, 3136, 576), (128, 784, 1152), (256, 196, 2304), (512, 49, 4608),
    (1, 1000, 512),
]
QUICK_GEMMS = [(256, 256, 256), (1024, 1024, 1024)]

Conv = collections.namedtuple(
    "Conv", "name channels size filters kernel stride pad groups")

# Batch 1, square images and kernels. `size` is the input height = width.
CONVS = [
    Conv("resnet stem 7x7/2", 3, 224, 64, 7, 2, 3, 1),
    Conv("resnet 3x3/1", 64, 56, 64, 3, 1, 1, 1),
    Conv("resnet 3x3/1", 128, 28, 128, 3, 1, 1, 1),
    Conv("resnet 3x3/2", 128, 28, 256, 3, 2, 1, 1),
    Conv("resnet50 1x1", 256, 56, 64, 1, 1, 0, 1),
    Conv("resnet50 1x1", 1024, 14, 256, 1, 1, 0, 1),
    Conv("mobilenet 1x1 expand", 24, 56, 144, 1, 1, 0, 1),
    Conv("mobilenet depthwise 3x3/1", 144, 56, 144, 3, 1, 1, 144),
    Conv("mobilenet depthwise 3x3/2", 96, 112, 96, 3, 2, 1, 96),
    Conv("mobilenet 1x1 project", 144, 56, 24, 1, 1, 0, 1),
    Conv("squeezenet stem 3x3/2", 3, 224, 64, 3, 2, 0, 1),
    Conv("squeezenet squeeze 1x1", 128, 55, 16, 1, 1, 0, 1),
    Conv("squeezenet expand 3x3", 16, 55, 64, 3, 1, 1, 1),
]
QUICK_CONVS = [CONVS[1], CONVS[7]]


def gemm_key(m, n, k):
    return f"matmul_{m}x{n}x{k}"


def gemm_flops(m, n, k):
    return 2.0 * m * n * k


def conv_key(c):
    return (f"conv_c{c.channels}_s{c.size}_f{c.filters}_k{c.kernel}"
            f"_st{c.stride}_p{c.pad}_g{c.groups}")


def conv_output_size(c):
    return (c.size + 2 * c.pad - c.kernel) // c.stride + 1


def conv_flops(c):
    out = conv_output_size(c)
    return 2.0 * c.filters * out * out * (c.channels // c.groups) * c.kernel * c.kernel


def conv_label(c):
    """`3x3/2 128->256 @28` (with `dw` for depthwise)."""
    kind = " dw" if c.groups == c.channels and c.groups > 1 else ""
    return (f"{c.kernel}x{c.kernel}/{c.stride}{kind} {c.channels}->{c.filters} "
            f"@{c.size}")


def _save(graph, path):
    import onnx
    from onnx import helper
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model)
    onnx.save(model, path)


def gemm_model(path, m, n, k):
    """Writes the one-MatMul model; returns (input, constant B)."""
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.RandomState(1)
    w = rng.standard_normal((k, n)).astype(np.float32)
    a = rng.standard_normal((m, k)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "w"], ["y"])], gemm_key(m, n, k),
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(w, "w")])
    _save(graph, path)
    return a, w


def gemm_reference(a, w):
    return (a.astype(np.float64) @ w.astype(np.float64)).astype(np.float32)


def conv_model(path, c):
    """Writes the one-Conv model; returns (input, weights, bias)."""
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.RandomState(2)
    fan_in = (c.channels // c.groups) * c.kernel * c.kernel
    w = (rng.standard_normal((c.filters, c.channels // c.groups, c.kernel, c.kernel))
         / np.sqrt(fan_in)).astype(np.float32)
    b = rng.standard_normal(c.filters).astype(np.float32)
    x = rng.standard_normal((1, c.channels, c.size, c.size)).astype(np.float32)
    out = conv_output_size(c)
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"],
                            kernel_shape=[c.kernel, c.kernel], strides=[c.stride] * 2,
                            pads=[c.pad] * 4, group=c.groups)
    graph = helper.make_graph(
        [node], conv_key(c),
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, c.filters, out, out])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    _save(graph, path)
    return x, w, b


def conv_reference(c, x, w, b):
    """PyTorch's conv2d in float64."""
    import torch
    import torch.nn.functional as F
    y = F.conv2d(torch.from_numpy(x.astype(np.float64)), torch.from_numpy(w.astype(np.float64)),
                 torch.from_numpy(b.astype(np.float64)), stride=c.stride, padding=c.pad,
                 groups=c.groups)
    return y.numpy().astype(np.float32)
