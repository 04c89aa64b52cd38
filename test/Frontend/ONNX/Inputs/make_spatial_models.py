#!/usr/bin/python3
"""Generates the small ONNX models of the spatial importer tests (sp_*.onnx).

Run with Debian's interpreter (it has the onnx package):

    /usr/bin/python3 test/Frontend/ONNX/Inputs/make_spatial_models.py

The output is deterministic (fixed seeds, no timestamps); the generated files
are committed next to this script so the tests need no Python.
"""


import numpy as np
from onnx import TensorProto as T
from onnx import helper

from onnx_test_builders import const, model, save, tensor, weight_factory

weights = weight_factory(np.random.default_rng(0))


def conv_transpose():
    """ConvTranspose: explicit pads with groups and bias; output_shape
    (resolved into pads and output_padding); SAME_LOWER."""
    nodes = [
        helper.make_node("ConvTranspose", ["x", "w", "b"], ["pads"],
                         strides=[2, 2], pads=[1, 0, 0, 1], group=2),
        helper.make_node("ConvTranspose", ["x1", "w1"], ["shape"],
                         strides=[3, 2], output_shape=[10, 8]),
        helper.make_node("ConvTranspose", ["x1", "w1"], ["same"],
                         strides=[2, 2], auto_pad="SAME_LOWER"),
    ]
    save(model(nodes,
               [tensor("x", T.FLOAT, [1, 4, 3, 3]),
                tensor("x1", T.FLOAT, [1, 1, 3, 3])],
               [tensor("pads", T.FLOAT, [1, 6, 6, 6]),
                tensor("shape", T.FLOAT, [1, 2, 10, 8]),
                tensor("same", T.FLOAT, [1, 2, 6, 6])],
               [weights("w", [4, 3, 3, 3]), weights("b", [6]),
                weights("w1", [1, 2, 3, 3])], opset=11),
         "sp_conv_transpose.onnx")


def resize():
    """Resize with constant scales (linear), run-time scales with a recorded
    output shape (nearest, asymmetric), constant sizes (cubic), and
    Upsample-7."""
    nodes = [
        helper.make_node("Resize", ["x", "", "scales"], ["linear"],
                         mode="linear"),
        helper.make_node("Resize", ["x", "", "rt_scales"], ["nearest"],
                         mode="nearest", nearest_mode="floor",
                         coordinate_transformation_mode="asymmetric"),
        helper.make_node("Resize", ["x", "", "", "sizes"], ["cubic"],
                         mode="cubic", cubic_coeff_a=-0.5, exclude_outside=1),
    ]
    save(model(nodes,
               [tensor("x", T.FLOAT, [1, 1, 2, 4]),
                tensor("rt_scales", T.FLOAT, [4])],
               [tensor("linear", T.FLOAT, [1, 1, 4, 8]),
                tensor("nearest", T.FLOAT, [1, 1, 3, 6]),
                tensor("cubic", T.FLOAT, [1, 1, 3, 3])],
               [const("scales", [1, 1, 2, 2], np.float32),
                const("sizes", [1, 1, 3, 3], np.int64)]),
         "sp_resize.onnx")
    up = helper.make_node("Upsample", ["x"], ["y"], mode="nearest",
                          scales=[1.0, 1.0, 2.0, 3.0])
    save(model([up], [tensor("x", T.FLOAT, [1, 1, 2, 2])],
               [tensor("y", T.FLOAT, [1, 1, 4, 6])], opset=7),
         "sp_upsample.onnx")


def resize_unknown_shape():
    """Run-time scales and no recorded output shape: an error."""
    node = helper.make_node("Resize", ["x", "", "scales"], ["y"])
    save(model([node],
               [tensor("x", T.FLOAT, [1, 1, 2, 2]),
                tensor("scales", T.FLOAT, [4])],
               [tensor("y", T.FLOAT, ["n", "c", "h", "w"])]),
         "sp_resize_unknown_shape.onnx", check=False)


def depth_space():
    """DepthToSpace (DCR, CRD) and SpaceToDepth."""
    nodes = [
        helper.make_node("DepthToSpace", ["x"], ["dcr"], blocksize=2),
        helper.make_node("DepthToSpace", ["x"], ["crd"], blocksize=2,
                         mode="CRD"),
        helper.make_node("SpaceToDepth", ["dcr"], ["s2d"], blocksize=2),
    ]
    save(model(nodes, [tensor("x", T.FLOAT, [1, 8, 2, 3])],
               [tensor("dcr", T.FLOAT, [1, 2, 4, 6]),
                tensor("crd", T.FLOAT, [1, 2, 4, 6]),
                tensor("s2d", T.FLOAT, [1, 8, 2, 3])]),
         "sp_depth_space.onnx")


def conv_pool_nd():
    """1-D and 3-D Conv and pools, GlobalMaxPool, MaxPool on uint8."""
    nodes = [
        helper.make_node("Conv", ["x1", "w1"], ["conv1"], pads=[1, 1],
                         dilations=[2]),
        helper.make_node("MaxPool", ["x3"], ["max3"], kernel_shape=[2, 2, 2],
                         strides=[2, 2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["x1"], ["avg1"], kernel_shape=[3],
                         auto_pad="SAME_LOWER"),
        helper.make_node("GlobalMaxPool", ["x3"], ["gmax3"]),
        helper.make_node("MaxPool", ["u8"], ["maxu8"], kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1]),
    ]
    save(model(nodes,
               [tensor("x1", T.FLOAT, [1, 2, 7]),
                tensor("x3", T.FLOAT, [1, 2, 5, 5, 5]),
                tensor("u8", T.UINT8, [1, 1, 4, 4])],
               [tensor("conv1", T.FLOAT, [1, 3, 5]),
                tensor("max3", T.FLOAT, [1, 2, 3, 3, 3]),
                tensor("avg1", T.FLOAT, [1, 2, 7]),
                tensor("gmax3", T.FLOAT, [1, 2, 1, 1, 1]),
                tensor("maxu8", T.UINT8, [1, 1, 4, 4])],
               [weights("w1", [3, 2, 3])]),
         "sp_conv_pool_nd.onnx")


def einsum():
    """Einsum with an ellipsis and spaces, and with an implicit output."""
    nodes = [
        helper.make_node("Einsum", ["x"], ["diag"], equation="...ii ->...i"),
        helper.make_node("Einsum", ["a", "b"], ["inner"], equation="i,i"),
        helper.make_node("Einsum", ["m", "n"], ["implicit"],
                         equation="ij,jk"),
    ]
    save(model(nodes,
               [tensor("x", T.FLOAT, [3, 5, 5]), tensor("a", T.FLOAT, [5]),
                tensor("b", T.FLOAT, [5]), tensor("m", T.FLOAT, [2, 3]),
                tensor("n", T.FLOAT, [3, 4])],
               [tensor("diag", T.FLOAT, [3, 5]), tensor("inner", T.FLOAT, []),
                tensor("implicit", T.FLOAT, [2, 4])], opset=12),
         "sp_einsum.onnx")


if __name__ == "__main__":
    conv_transpose()
    resize()
    resize_unknown_shape()
    depth_space()
    conv_pool_nd()
    einsum()
