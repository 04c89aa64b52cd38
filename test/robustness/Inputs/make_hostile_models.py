#!/usr/bin/python3
"""Generates the hostile-input corpus of test/robustness (docs/robustness.md).

Every file here is something a user might feed Tessera by mistake or on
purpose: broken files, invalid graphs, absurd shapes and attributes. The lit
tests next to this folder check that each one gives a clear error (or, for
NaN/Inf and empty tensors, a defined result) and never a crash, hang or
unbounded allocation.

Run with Debian's interpreter (it has the onnx package):

    /usr/bin/python3 test/robustness/Inputs/make_hostile_models.py

The output is deterministic (fixed seeds, no timestamps); the generated files
are small and committed so the tests need no Python.
"""

import os
import random

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def tensor(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def model(nodes, inputs, outputs, initializers=(), opset=13, extra_opsets=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    opsets = [helper.make_opsetid("", opset)] + list(extra_opsets)
    m = helper.make_model(graph, opset_imports=opsets,
                          producer_name="tessera-robustness")
    m.ir_version = 8
    return m


def write(filename, data):
    if isinstance(data, onnx.ModelProto):
        data = data.SerializeToString()
    with open(os.path.join(HERE, filename), "wb") as f:
        f.write(data)


def relu_model():
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [tensor("x", T.FLOAT, [2, 3])], [tensor("y", T.FLOAT, [2, 3])])


# --- Files that are not ONNX models ---------------------------------------

def files():
    good = relu_model().SerializeToString()
    write("empty.onnx", b"")
    write("truncated.onnx", good[: len(good) * 2 // 3])
    rng = random.Random(11)
    write("random.onnx", bytes(rng.randrange(256) for _ in range(512)))
    # Bit flips in the middle of a valid model: a length prefix that points
    # past the end of the buffer.
    flipped = bytearray(good)
    for pos in (3, 17, 29):
        flipped[pos] ^= 0x80
    write("bitflip.onnx", bytes(flipped))
    write("text.onnx", b"ir_version: 8\ngraph { name: 'g' }\n")


# --- Invalid graphs -------------------------------------------------------

def graphs():
    # An op no opset defines.
    write("unknown_op.onnx", model(
        [helper.make_node("FrobnicateTensor", ["x"], ["y"], name="frob")],
        [tensor("x", T.FLOAT, [2])], [tensor("y", T.FLOAT, [2])]))
    # A custom domain that the model imports but Tessera does not know.
    write("unknown_domain.onnx", model(
        [helper.make_node("Gelu", ["x"], ["y"], name="custom_gelu",
                          domain="com.example")],
        [tensor("x", T.FLOAT, [2])], [tensor("y", T.FLOAT, [2])],
        extra_opsets=[helper.make_opsetid("com.example", 1)]))
    # A node in a domain the model does not import.
    write("unimported_domain.onnx", model(
        [helper.make_node("Gelu", ["x"], ["y"], name="custom_gelu",
                          domain="org.nowhere")],
        [tensor("x", T.FLOAT, [2])], [tensor("y", T.FLOAT, [2])]))
    m = relu_model()
    m.opset_import[0].version = 99
    write("opset_too_new.onnx", m)
    m = relu_model()
    m.opset_import[0].version = 0
    write("opset_too_old.onnx", m)
    # r1 -> r2 -> r1.
    write("cycle.onnx", model(
        [helper.make_node("Add", ["x", "b"], ["a"], name="add"),
         helper.make_node("Relu", ["a"], ["b"], name="relu")],
        [tensor("x", T.FLOAT, [2])], [tensor("b", T.FLOAT, [2])]))
    # A node reading itself.
    write("self_loop.onnx", model(
        [helper.make_node("Add", ["x", "y"], ["y"], name="self_add")],
        [tensor("x", T.FLOAT, [2])], [tensor("y", T.FLOAT, [2])]))
    # A weight named by a node but never given.
    write("missing_initializer.onnx", model(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
        [tensor("x", T.FLOAT, [2, 2])], [tensor("y", T.FLOAT, [2, 2])]))
    # Two nodes writing one value.
    write("duplicate_value.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu1"),
         helper.make_node("Neg", ["x"], ["y"], name="neg1")],
        [tensor("x", T.FLOAT, [2])], [tensor("y", T.FLOAT, [2])]))
    # Two graph inputs with one name.
    write("duplicate_input.onnx", model(
        [helper.make_node("Add", ["x", "x"], ["y"], name="add")],
        [tensor("x", T.FLOAT, [2]), tensor("x", T.FLOAT, [2])],
        [tensor("y", T.FLOAT, [2])]))
    # A graph output that nothing produces.
    write("dangling_output.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [tensor("x", T.FLOAT, [2])],
        [tensor("y", T.FLOAT, [2]), tensor("ghost", T.FLOAT, [2])]))
    # A graph with no nodes and no outputs.
    write("empty_graph.onnx", model([], [], []))


# --- Absurd shapes and sizes ----------------------------------------------

def shapes():
    huge = 1 << 40
    # Input dims whose product overflows int64.
    write("huge_input_dims.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [tensor("x", T.FLOAT, [huge, huge, huge])],
        [tensor("y", T.FLOAT, [huge, huge, huge])]))
    write("negative_input_dim.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [tensor("x", T.FLOAT, [2, -5])], [tensor("y", T.FLOAT, [2, -5])]))
    # An initializer that declares 2^40 floats but carries 8 bytes.
    w = onnx.TensorProto(name="w", data_type=T.FLOAT, dims=[huge],
                         raw_data=b"\0" * 8)
    write("initializer_short_data.onnx", model(
        [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
        [tensor("x", T.FLOAT, [huge])], [tensor("y", T.FLOAT, [huge])], [w]))
    # Dims whose product overflows int64 (2^62 * 4 elements).
    w = onnx.TensorProto(name="w", data_type=T.FLOAT, dims=[1 << 62, 4],
                         raw_data=b"\0" * 16)
    write("initializer_overflow.onnx", model(
        [helper.make_node("Identity", ["w"], ["y"], name="id")],
        [], [tensor("y", T.FLOAT, [1 << 62, 4])], [w]))
    w = onnx.TensorProto(name="w", data_type=T.FLOAT, dims=[-3],
                         raw_data=b"\0" * 12)
    write("initializer_negative_dim.onnx", model(
        [helper.make_node("Identity", ["w"], ["y"], name="id")],
        [], [tensor("y", T.FLOAT, [3])], [w]))
    # Typed-field data of the wrong count (float_data, not raw_data).
    w = onnx.TensorProto(name="w", data_type=T.FLOAT, dims=[4],
                         float_data=[1.0, 2.0])
    write("initializer_wrong_count.onnx", model(
        [helper.make_node("Identity", ["w"], ["y"], name="id")],
        [], [tensor("y", T.FLOAT, [4])], [w]))
    # Constant-producing ops asked for 2^40 elements: must not be folded
    # into (or allocated as) a terabyte constant.
    shape = numpy_helper.from_array(np.array([huge, huge], np.int64), "shape")
    write("constant_of_shape_huge.onnx", model(
        [helper.make_node("ConstantOfShape", ["shape"], ["y"], name="cos",
                          value=helper.make_tensor("v", T.FLOAT, [1], [1.0]))],
        [], [tensor("y", T.FLOAT, [huge, huge])], [shape]))
    write("range_huge.onnx", model(
        [helper.make_node("Range", ["start", "limit", "delta"], ["y"],
                          name="range")],
        [], [tensor("y", T.INT64, [None])],
        [numpy_helper.from_array(np.array(0, np.int64), "start"),
         numpy_helper.from_array(np.array(1 << 60, np.int64), "limit"),
         numpy_helper.from_array(np.array(1, np.int64), "delta")]))
    # A constant Range at the end of int64: one element, INT64_MAX - 3
    # (doubles lost it; `v += delta` overflowed).
    write("range_int64_edge.onnx", model(
        [helper.make_node("Range", ["start", "limit", "delta"], ["y"],
                          name="range")],
        [], [tensor("y", T.INT64, [None])],
        [numpy_helper.from_array(np.array((1 << 63) - 4, np.int64), "start"),
         numpy_helper.from_array(np.array((1 << 63) - 1, np.int64), "limit"),
         numpy_helper.from_array(np.array(5, np.int64), "delta")]))
    # A constant Range too long to fold (2^21 > 2^20 elements): computed at
    # run time instead of becoming a huge constant in the IR.
    write("range_long.onnx", model(
        [helper.make_node("Range", ["start", "limit", "delta"], ["y"],
                          name="range")],
        [], [tensor("y", T.INT64, [None])],
        [numpy_helper.from_array(np.array(0, np.int64), "start"),
         numpy_helper.from_array(np.array(1 << 21, np.int64), "limit"),
         numpy_helper.from_array(np.array(1, np.int64), "delta")]))
    write("expand_huge.onnx", model(
        [helper.make_node("Expand", ["x", "shape"], ["y"], name="expand")],
        [tensor("x", T.FLOAT, [1, 1])], [tensor("y", T.FLOAT, [huge, huge])],
        [numpy_helper.from_array(np.array([huge, huge], np.int64), "shape")]))
    write("reshape_negative.onnx", model(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
        [tensor("x", T.FLOAT, [2, 3])], [tensor("y", T.FLOAT, [6])],
        [numpy_helper.from_array(np.array([-2, -3], np.int64), "shape")]))
    # Zero-size tensors: a defined (empty) result.
    write("zero_size.onnx", model(
        [helper.make_node("Relu", ["x"], ["r"], name="relu"),
         helper.make_node("ReduceSum", ["r"], ["y"], name="sum", keepdims=0,
                          axes=[0])],
        [tensor("x", T.FLOAT, [0, 3])], [tensor("y", T.FLOAT, [3])],
        opset=12))


# --- Absurd attributes ----------------------------------------------------

def attributes():
    x = tensor("x", T.FLOAT, [1, 1, 4, 4])
    w = numpy_helper.from_array(np.ones([1, 1, 3, 3], np.float32), "w")
    write("conv_negative_pads.onnx", model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                          pads=[-2, -2, -2, -2])],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    write("conv_zero_strides.onnx", model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                          strides=[0, 0])],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    write("conv_zero_dilations.onnx", model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                          dilations=[0, 0])],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    write("conv_huge_kernel.onnx", model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                          kernel_shape=[1 << 40, 1 << 40])],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    write("conv_zero_group.onnx", model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", group=0)],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    # A weight of higher rank than the input: libonnx 1.12's shape
    # inference read past the input's dims (SEGV, found by the fuzzer).
    write("conv_rank_mismatch.onnx", model(
        [helper.make_node("Conv", ["x2", "w"], ["y"], name="conv",
                          auto_pad="SAME_UPPER")],
        [tensor("x2", T.FLOAT, [1, 7])],
        [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    # The same, where only ONNX shape inference finds the input's rank (the
    # output of an earlier node): libonnx 1.12 read out of bounds in
    # convPoolShapeInference / convTransposeShapeInference (SEGV). The check
    # now runs inside that inference, before each convolution's.
    w1 = numpy_helper.from_array(np.ones([3], np.float32), "w")
    write("conv_rank_inferred.onnx", model(
        [helper.make_node("Relu", ["x2"], ["r"], name="relu"),
         helper.make_node("Conv", ["r", "w"], ["y"], name="conv",
                          auto_pad="SAME_UPPER")],
        [tensor("x2", T.FLOAT, [1, 7])],
        [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    write("convtranspose_rank_inferred.onnx", model(
        [helper.make_node("Relu", ["x3"], ["r"], name="relu"),
         helper.make_node("ConvTranspose", ["r", "w"], ["y"], name="deconv")],
        [tensor("x3", T.FLOAT, [1, 3, 5])],
        [tensor("y", T.FLOAT, ["n", "c", "l"])], [w1]))
    # Inside an If branch: the subgraph is inferred with the same check.
    branch = helper.make_graph(
        [helper.make_node("Relu", ["x2"], ["r"], name="branch_relu"),
         helper.make_node("Conv", ["r", "w"], ["b"], name="branch_conv")],
        "branch", [], [tensor("b", T.FLOAT, ["n", "c", "h", "w"])])
    write("conv_rank_in_subgraph.onnx", model(
        [helper.make_node("If", ["cond"], ["y"], name="if",
                          then_branch=branch, else_branch=branch)],
        [tensor("x2", T.FLOAT, [1, 7]), tensor("cond", T.BOOL, [])],
        [tensor("y", T.FLOAT, ["n", "c", "h", "w"])], [w]))
    write("maxpool_zero_strides.onnx", model(
        [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                          kernel_shape=[2, 2], strides=[0, 0])],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])]))
    write("maxpool_zero_kernel.onnx", model(
        [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                          kernel_shape=[0, 0])],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])]))
    write("maxpool_negative_pads.onnx", model(
        [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                          kernel_shape=[2, 2], pads=[-1, -1, -1, -1])],
        [x], [tensor("y", T.FLOAT, ["n", "c", "h", "w"])]))
    write("pad_negative_huge.onnx", model(
        [helper.make_node("Pad", ["x", "pads"], ["y"], name="pad")],
        [tensor("x", T.FLOAT, [2, 2])], [tensor("y", T.FLOAT, ["a", "b"])],
        [numpy_helper.from_array(np.array([-5, 0, 0, 0], np.int64), "pads")]))
    write("pad_huge.onnx", model(
        [helper.make_node("Pad", ["x", "pads"], ["y"], name="pad")],
        [tensor("x", T.FLOAT, [2, 2])], [tensor("y", T.FLOAT, ["a", "b"])],
        [numpy_helper.from_array(np.array([0, 0, 1 << 62, 1 << 62], np.int64),
                                 "pads")]))
    write("transpose_bad_perm.onnx", model(
        [helper.make_node("Transpose", ["x"], ["y"], name="tr", perm=[0, 0])],
        [tensor("x", T.FLOAT, [2, 3])], [tensor("y", T.FLOAT, ["a", "b"])]))
    write("gather_bad_axis.onnx", model(
        [helper.make_node("Gather", ["x", "i"], ["y"], name="gather",
                          axis=1 << 40)],
        [tensor("x", T.FLOAT, [2, 3])], [tensor("y", T.FLOAT, ["a", "b"])],
        [numpy_helper.from_array(np.array([0], np.int64), "i")]))
    write("split_zero.onnx", model(
        [helper.make_node("Split", ["x", "split"], ["a", "b"], name="split")],
        [tensor("x", T.FLOAT, [4])],
        [tensor("a", T.FLOAT, ["a"]), tensor("b", T.FLOAT, ["b"])],
        [numpy_helper.from_array(np.array([-1, 5], np.int64), "split")]))


# --- Models for run-time checks -------------------------------------------

def runtime_models():
    # NaN/Inf propagation through the common float paths.
    write("nan_inf.onnx", model(
        [helper.make_node("Add", ["x", "x"], ["sum"], name="add"),
         helper.make_node("Relu", ["x"], ["relu"], name="relu"),
         helper.make_node("Softmax", ["x"], ["softmax"], name="softmax",
                          axis=1),
         helper.make_node("ReduceMax", ["x"], ["max"], name="max", axes=[1],
                          keepdims=0),
         helper.make_node("MatMul", ["x", "xt"], ["mm"], name="mm"),
         helper.make_node("Transpose", ["x"], ["xt"], name="tr")],
        [tensor("x", T.FLOAT, [2, 4])],
        [tensor("sum", T.FLOAT, [2, 4]), tensor("relu", T.FLOAT, [2, 4]),
         tensor("softmax", T.FLOAT, [2, 4]), tensor("max", T.FLOAT, [2]),
         tensor("mm", T.FLOAT, [2, 2])]))
    nan_in = np.array([[1.0, np.nan, -2.0, 3.0],
                       [np.inf, -np.inf, 0.5, -0.5]], np.float32)
    np.save(os.path.join(HERE, "nan_inf_x.npy"), nan_in)
    # Two inputs for the wrong count / shape / dtype checks.
    write("two_inputs.onnx", model(
        [helper.make_node("Add", ["a", "b"], ["y"], name="add")],
        [tensor("a", T.FLOAT, [2, 3]), tensor("b", T.FLOAT, [2, 3])],
        [tensor("y", T.FLOAT, [2, 3])]))
    np.save(os.path.join(HERE, "f32_2x3.npy"), np.ones([2, 3], np.float32))
    np.save(os.path.join(HERE, "f32_3x2.npy"), np.ones([3, 2], np.float32))
    np.save(os.path.join(HERE, "i64_2x3.npy"), np.ones([2, 3], np.int64))
    np.save(os.path.join(HERE, "f32_0x3.npy"), np.ones([0, 3], np.float32))
    # A .npy whose header claims far more data than the file holds.
    hdr = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }"
    hdr += b" " * (118 - len(hdr)) + b"\n"
    # An ONNX TensorProto (.pb) input that declares 2^80 elements.
    write("tensor_huge.pb", onnx.TensorProto(
        name="a", data_type=T.FLOAT, dims=[1 << 40, 1 << 40],
        raw_data=b"\0" * 16).SerializeToString())
    write("npy_huge_header.npy", b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr + b"\0" * 16)


if __name__ == "__main__":
    files()
    graphs()
    shapes()
    attributes()
    runtime_models()
