#!/usr/bin/python3
"""Generates the small ONNX models of the reduction and normalization
importer tests (files prefixed reduce_ and norm_).

Run with Debian's interpreter (it has the onnx package):

    /usr/bin/python3 test/Frontend/ONNX/Inputs/make_reduction_models.py

The output is deterministic (fixed seeds, no timestamps); the generated files
are committed next to this script so the tests need no Python.
"""


import numpy as np
from onnx import TensorProto as T
from onnx import helper, numpy_helper

from onnx_test_builders import ints, model, tensor, weight_factory
import onnx_test_builders

weights = weight_factory(np.random.default_rng(0))


def save(m, filename, check=True):
    onnx_test_builders.save(m, filename, check, full_check=True)


# --- Reductions -----------------------------------------------------------

def reduce_ops():
    # Opset 13: axes is an attribute, except for ReduceSum (an input).
    x = tensor("x", T.FLOAT, [2, 3, 4])
    return model(
        [helper.make_node("ReduceMean", ["x"], ["mean"], name="mean",
                          axes=[-1], keepdims=0),
         helper.make_node("ReduceL2", ["x"], ["l2"], name="l2"),
         helper.make_node("ReduceLogSumExp", ["x"], ["lse"], name="lse",
                          axes=[1], keepdims=0),
         helper.make_node("ReduceSum", ["x", "axes"], ["sum"], name="sum"),
         helper.make_node("ReduceSum", ["x"], ["noop"], name="noop",
                          noop_with_empty_axes=1),
         helper.make_node("ReduceSumSquare", ["x"], ["sq"], name="sq",
                          axes=[0, 2])],
        [x],
        [tensor("mean", T.FLOAT, [2, 3]), tensor("l2", T.FLOAT, [1, 1, 1]),
         tensor("lse", T.FLOAT, [2, 4]), tensor("sum", T.FLOAT, [1, 3, 4]),
         tensor("noop", T.FLOAT, [2, 3, 4]), tensor("sq", T.FLOAT, [1, 3, 1])],
        [ints("axes", [0])])


def reduce_runtime_axes():
    # The axes are a graph input: derived from the recorded output shape.
    return model(
        [helper.make_node("ReduceSum", ["x", "axes"], ["y"], name="sum",
                          keepdims=0)],
        [tensor("x", T.FLOAT, [3, 2, 2]), tensor("axes", T.INT64, [1])],
        [tensor("y", T.FLOAT, [3, 2])])


def reduce_bad_axes():
    return model(
        [helper.make_node("ReduceMax", ["x"], ["y"], name="max", axes=[3])],
        [tensor("x", T.FLOAT, [2, 3])],
        [tensor("y", T.FLOAT, [2, 3])])


def reduce_index_ops():
    x = tensor("x", T.FLOAT, [3, 4])
    return model(
        [helper.make_node("ArgMax", ["x"], ["amax"], name="amax", axis=-1,
                          keepdims=0),
         helper.make_node("ArgMin", ["x"], ["amin"], name="amin",
                          select_last_index=1),
         helper.make_node("Hardmax", ["x"], ["hard"], name="hard", axis=0),
         helper.make_node("TopK", ["x", "k"], ["values", "indices"],
                          name="topk", largest=0),
         helper.make_node("CumSum", ["x", "axis"], ["cum"], name="cum",
                          exclusive=1)],
        [x],
        [tensor("amax", T.INT64, [3]), tensor("amin", T.INT64, [1, 4]),
         tensor("hard", T.FLOAT, [3, 4]), tensor("values", T.FLOAT, [3, 2]),
         tensor("indices", T.INT64, [3, 2]), tensor("cum", T.FLOAT, [3, 4])],
        [ints("k", [2]), numpy_helper.from_array(np.array(-2, np.int32), "axis")])


def reduce_runtime_index_ops():
    # k and the CumSum axis are graph inputs.
    return model(
        [helper.make_node("TopK", ["x", "k"], ["values", "indices"],
                          name="topk"),
         helper.make_node("CumSum", ["x", "axis"], ["cum"], name="cum",
                          reverse=1)],
        [tensor("x", T.FLOAT, [3, 4]), tensor("k", T.INT64, [1]),
         tensor("axis", T.INT32, [])],
        [tensor("values", T.FLOAT, [3, 3]), tensor("indices", T.INT64, [3, 3]),
         tensor("cum", T.FLOAT, [3, 4])], opset=14)


# --- Normalizations -------------------------------------------------------

def norm_ops():
    x = tensor("x", T.FLOAT, [2, 3, 4, 5])
    return model(
        [helper.make_node("LayerNormalization", ["x", "ln_scale", "ln_bias"],
                          ["ln", "ln_mean", "ln_inv_std"], name="ln", axis=2,
                          epsilon=1e-3),
         helper.make_node("InstanceNormalization", ["x", "in_scale", "in_bias"],
                          ["inorm"], name="inorm"),
         helper.make_node("MeanVarianceNormalization", ["x"], ["mvn"],
                          name="mvn"),
         helper.make_node("LRN", ["x"], ["lrn"], name="lrn", size=3,
                          alpha=2e-4)],
        [x],
        [tensor("ln", T.FLOAT, [2, 3, 4, 5]),
         tensor("ln_mean", T.FLOAT, [2, 3, 1, 1]),
         tensor("ln_inv_std", T.FLOAT, [2, 3, 1, 1]),
         tensor("inorm", T.FLOAT, [2, 3, 4, 5]),
         tensor("mvn", T.FLOAT, [2, 3, 4, 5]),
         tensor("lrn", T.FLOAT, [2, 3, 4, 5])],
        [weights("ln_scale", [4, 5]), weights("ln_bias", [4, 5]),
         weights("in_scale", [3]), weights("in_bias", [3])], opset=17)


def main():
    save(reduce_ops(), "reduce_ops.onnx")
    save(reduce_runtime_axes(), "reduce_runtime_axes.onnx")
    save(reduce_bad_axes(), "reduce_bad_axes.onnx", check=False)
    save(reduce_index_ops(), "reduce_index_ops.onnx")
    save(reduce_runtime_index_ops(), "reduce_runtime_index_ops.onnx")
    save(norm_ops(), "norm_ops.onnx")


if __name__ == "__main__":
    main()
