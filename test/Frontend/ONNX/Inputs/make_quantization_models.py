#!/usr/bin/python3
"""Generates the small ONNX models of the quantization importer tests (q_*.onnx).

Run with Debian's interpreter (it has the onnx package):

    /usr/bin/python3 test/Frontend/ONNX/Inputs/make_quantization_models.py

The output is deterministic (fixed values, no timestamps); the generated files
are committed next to this script so the tests need no Python.
"""


import numpy as np
from onnx import TensorProto as T
from onnx import helper

from onnx_test_builders import const, model, save, tensor


def quantize():
    """QuantizeLinear per tensor without a zero point (ui8 default) and per
    axis to int8 with constant scales; DequantizeLinear per tensor and per
    axis (negative axis)."""
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s"], ["q"]),
        helper.make_node("QuantizeLinear", ["x", "sc", "zpc"], ["qc"], axis=1),
        helper.make_node("DequantizeLinear", ["u", "s", "zu"], ["d"]),
        helper.make_node("DequantizeLinear", ["qc", "sc", "zpc"], ["dc"],
                         axis=-2),
    ]
    return model(
        nodes,
        [tensor("x", T.FLOAT, [2, 3, 4]), tensor("s", T.FLOAT, []),
         tensor("u", T.UINT8, [5]), tensor("zu", T.UINT8, [])],
        [tensor("q", T.UINT8, [2, 3, 4]), tensor("qc", T.INT8, [2, 3, 4]),
         tensor("d", T.FLOAT, [5]), tensor("dc", T.FLOAT, [2, 3, 4])],
        [const("sc", [0.5, 1.0, 2.0], np.float32),
         const("zpc", [-1, 0, 1], np.int8)])


def dynamic_quantize():
    """DynamicQuantizeLinear: range of the input (extended to 0) to scale and
    zero point, then QuantizeLinear."""
    return model(
        [helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "ys", "yzp"])],
        [tensor("x", T.FLOAT, [3, 4])],
        [tensor("y", T.UINT8, [3, 4]), tensor("ys", T.FLOAT, []),
         tensor("yzp", T.UINT8, [])], opset=11)


def matmul_integer():
    """MatMulInteger with a per-row zero point of A; QLinearMatMul with
    per-tensor scales."""
    nodes = [
        helper.make_node("MatMulInteger", ["a", "b", "azp", "bzp"], ["y"]),
        helper.make_node("QLinearMatMul", ["a", "as", "azp1", "b", "bs", "bzp",
                                           "ys", "yzp"], ["q"]),
    ]
    return model(
        nodes,
        [tensor("a", T.UINT8, [4, 3]), tensor("b", T.UINT8, [3, 2]),
         tensor("azp", T.UINT8, [4]), tensor("bzp", T.UINT8, [])],
        [tensor("y", T.INT32, [4, 2]), tensor("q", T.UINT8, [4, 2])],
        [const("as", [0.5], np.float32), const("azp1", [3], np.uint8),
         const("bs", [0.25], np.float32), const("ys", 2.0, np.float32),
         const("yzp", 128, np.uint8)], opset=10)


def conv_integer():
    """ConvInteger with pads and a per-channel weight zero point; QLinearConv
    with a per-channel weight scale and an int32 bias."""
    nodes = [
        helper.make_node("ConvInteger", ["x", "w", "xzp", "wzp"], ["y"],
                         pads=[1, 1, 1, 1]),
        helper.make_node("QLinearConv", ["x", "xs", "xzp", "w", "ws", "wzp",
                                         "ys", "yzp", "b"], ["q"],
                         strides=[2, 2]),
    ]
    return model(
        nodes,
        [tensor("x", T.UINT8, [1, 1, 5, 5]), tensor("w", T.UINT8, [2, 1, 3, 3])],
        [tensor("y", T.INT32, [1, 2, 5, 5]), tensor("q", T.UINT8, [1, 2, 2, 2])],
        [const("xzp", 7, np.uint8), const("wzp", [1, 2], np.uint8),
         const("xs", 0.5, np.float32), const("ws", [0.1, 0.2], np.float32),
         const("ys", 0.25, np.float32), const("yzp", 10, np.uint8),
         const("b", [100, -100], np.int32)], opset=10)


def bitshift():
    """BitShift both ways, the shift amount broadcast."""
    return model(
        [helper.make_node("BitShift", ["x", "y"], ["l"], direction="LEFT"),
         helper.make_node("BitShift", ["x", "y1"], ["r"], direction="RIGHT")],
        [tensor("x", T.UINT32, [2, 3]), tensor("y", T.UINT32, [2, 3]),
         tensor("y1", T.UINT32, [1])],
        [tensor("l", T.UINT32, [2, 3]), tensor("r", T.UINT32, [2, 3])],
        opset=11)


def bitshift_bad_direction():
    """BitShift with an unknown direction (an import error)."""
    return model(
        [helper.make_node("BitShift", ["x", "y"], ["z"], direction="UP")],
        [tensor("x", T.UINT8, [3]), tensor("y", T.UINT8, [3])],
        [tensor("z", T.UINT8, [3])], opset=11)


def quantize_bad_axis():
    """A per-axis scale whose size differs from the input dimension at
    `axis` (an import error)."""
    return model(
        [helper.make_node("QuantizeLinear", ["x", "s"], ["q"], axis=0)],
        [tensor("x", T.FLOAT, [2, 3]), tensor("s", T.FLOAT, [3])],
        [tensor("q", T.UINT8, [2, 3])])


def matmul_integer_float():
    """MatMulInteger of float operands (an import error)."""
    return model(
        [helper.make_node("MatMulInteger", ["a", "b"], ["y"])],
        [tensor("a", T.FLOAT, [2, 3]), tensor("b", T.FLOAT, [3, 2])],
        [tensor("y", T.INT32, [2, 2])], opset=10)


if __name__ == "__main__":
    save(quantize(), "q_quantize.onnx")
    save(dynamic_quantize(), "q_dynamic_quantize.onnx")
    save(matmul_integer(), "q_matmul_integer.onnx")
    save(conv_integer(), "q_conv_integer.onnx")
    save(bitshift(), "q_bitshift.onnx")
    save(bitshift_bad_direction(), "q_bitshift_bad_direction.onnx", check=False)
    save(quantize_bad_axis(), "q_quantize_bad_axis.onnx", check=False)
    save(matmul_integer_float(), "q_matmul_integer_float.onnx", check=False)
