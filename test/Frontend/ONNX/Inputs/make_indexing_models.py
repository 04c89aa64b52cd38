#!/usr/bin/python3
"""Generates the small ONNX models of the indexing and loss importer tests
(files prefixed idx_ and loss_).

Run with Debian's interpreter (it has the onnx package):

    /usr/bin/python3 test/Frontend/ONNX/Inputs/make_indexing_models.py

The output is deterministic (fixed values, no timestamps); the generated
files are committed next to this script so the tests need no Python.
"""


from onnx import TensorProto as T
from onnx import helper

from onnx_test_builders import floats, ints, tensor
import onnx_test_builders


def model(nodes, inputs, outputs, initializers=(), opset=16, name="g"):
    return onnx_test_builders.model(nodes, inputs, outputs, initializers, opset, name)


def save(m, filename, check=True):
    onnx_test_builders.save(m, filename, check, full_check=True)


# --- Gathers and scatters -------------------------------------------------

def idx_gather_scatter():
    return model(
        [helper.make_node("GatherElements", ["data", "ie"], ["ge"], name="ge",
                          axis=1),
         helper.make_node("ScatterElements", ["data", "ie", "upd"], ["se"],
                          name="se", axis=1, reduction="add"),
         helper.make_node("GatherND", ["cube", "ind"], ["gnd"], name="gnd",
                          batch_dims=1),
         helper.make_node("ScatterND", ["cube", "ind2", "slices"], ["snd"],
                          name="snd", reduction="mul")],
        [tensor("data", T.FLOAT, [3, 4]), tensor("ie", T.INT64, [3, 2]),
         tensor("upd", T.FLOAT, [3, 2]), tensor("cube", T.FLOAT, [2, 3, 4]),
         tensor("ind", T.INT64, [2, 1]), tensor("ind2", T.INT64, [2, 1]),
         tensor("slices", T.FLOAT, [2, 3, 4])],
        [tensor("ge", T.FLOAT, [3, 2]), tensor("se", T.FLOAT, [3, 4]),
         tensor("gnd", T.FLOAT, [2, 4]), tensor("snd", T.FLOAT, [2, 3, 4])])


def idx_scatter_opset10():
    # Scatter is ScatterElements' name before opset 11.
    return model(
        [helper.make_node("Scatter", ["data", "i", "u"], ["y"], name="sc")],
        [tensor("data", T.FLOAT, [3, 3]), tensor("i", T.INT64, [1, 3]),
         tensor("u", T.FLOAT, [1, 3])],
        [tensor("y", T.FLOAT, [3, 3])], opset=10)


def idx_scatter_bad_reduction():
    # `max` came with opset 18; the lowering supports none, add and mul.
    return model(
        [helper.make_node("ScatterND", ["data", "i", "u"], ["y"], name="snd",
                          reduction="max")],
        [tensor("data", T.FLOAT, [4]), tensor("i", T.INT64, [2, 1]),
         tensor("u", T.FLOAT, [2])],
        [tensor("y", T.FLOAT, [4])])


# --- Generators and masks -------------------------------------------------

def idx_generators():
    # Trilu with a run-time k and without; OneHot with a constant depth;
    # EyeLike and Range of constants fold to constants.
    return model(
        [helper.make_node("Trilu", ["x", "k"], ["lower"], name="tril",
                          upper=0),
         helper.make_node("Trilu", ["x"], ["upper"], name="triu"),
         helper.make_node("OneHot", ["labels", "depth", "values"], ["hot"],
                          name="hot", axis=0),
         helper.make_node("EyeLike", ["x"], ["eye"], name="eye", k=1,
                          dtype=T.INT32),
         helper.make_node("Range", ["start", "limit", "delta"], ["range"],
                          name="range")],
        [tensor("x", T.FLOAT, [3, 4]), tensor("k", T.INT64, []),
         tensor("labels", T.INT64, [2]), tensor("values", T.FLOAT, [2])],
        [tensor("lower", T.FLOAT, [3, 4]), tensor("upper", T.FLOAT, [3, 4]),
         tensor("hot", T.FLOAT, [5, 2]), tensor("eye", T.INT32, [3, 4]),
         tensor("range", T.INT64, [3])],
        [floats("depth", 5.0), ints("start", 10), ints("limit", 4),
         ints("delta", -2)])


def idx_runtime_generators():
    # OneHot's depth and Range's inputs are graph inputs: the recorded output
    # shapes give the static sizes.
    return model(
        [helper.make_node("OneHot", ["labels", "depth", "values"], ["hot"],
                          name="hot"),
         helper.make_node("Range", ["start", "limit", "delta"], ["range"],
                          name="range")],
        [tensor("labels", T.FLOAT, [2]), tensor("depth", T.INT64, []),
         tensor("values", T.INT32, [2]), tensor("start", T.FLOAT, []),
         tensor("limit", T.FLOAT, []), tensor("delta", T.FLOAT, [])],
        [tensor("hot", T.INT32, [2, 6]), tensor("range", T.FLOAT, [4])],
        opset=11)


def idx_range_unknown():
    # A run-time Range without a recorded output length cannot be compiled.
    return model(
        [helper.make_node("Range", ["start", "limit", "delta"], ["y"],
                          name="range")],
        [tensor("start", T.INT64, []), tensor("limit", T.INT64, []),
         tensor("delta", T.INT64, [])],
        [tensor("y", T.INT64, ["n"])], opset=11)


# --- Losses ---------------------------------------------------------------

def loss_nll():
    return model(
        [helper.make_node("NegativeLogLikelihoodLoss", ["x", "t", "w"],
                          ["mean"], name="nll_mean", ignore_index=-1),
         helper.make_node("NegativeLogLikelihoodLoss", ["x", "t"], ["none"],
                          name="nll_none", reduction="none")],
        [tensor("x", T.FLOAT, [3, 5, 2]), tensor("t", T.INT64, [3, 2]),
         tensor("w", T.FLOAT, [5])],
        [tensor("mean", T.FLOAT, []), tensor("none", T.FLOAT, [3, 2])],
        opset=13)


def loss_sce():
    return model(
        [helper.make_node("SoftmaxCrossEntropyLoss", ["x", "t"],
                          ["loss", "log_prob"], name="sce", reduction="sum")],
        [tensor("x", T.FLOAT, [3, 5]), tensor("t", T.INT64, [3])],
        [tensor("loss", T.FLOAT, []), tensor("log_prob", T.FLOAT, [3, 5])],
        opset=13)


def loss_nll_bad_target():
    # The target's shape must be the input's without the class dimension.
    return model(
        [helper.make_node("NegativeLogLikelihoodLoss", ["x", "t"], ["y"],
                          name="nll_bad")],
        [tensor("x", T.FLOAT, [3, 5, 2]), tensor("t", T.INT64, [3, 5])],
        [tensor("y", T.FLOAT, [])], opset=13)


def main():
    save(idx_gather_scatter(), "idx_gather_scatter.onnx")
    save(idx_scatter_opset10(), "idx_scatter_opset10.onnx")
    save(idx_generators(), "idx_generators.onnx")
    save(idx_runtime_generators(), "idx_runtime_generators.onnx")
    save(idx_range_unknown(), "idx_range_unknown.onnx")
    # Invalid on purpose: the checker would reject them.
    save(idx_scatter_bad_reduction(), "idx_scatter_bad_reduction.onnx",
         check=False)
    save(loss_nll(), "loss_nll.onnx")
    save(loss_sce(), "loss_sce.onnx")
    save(loss_nll_bad_target(), "loss_nll_bad_target.onnx", check=False)


if __name__ == "__main__":
    main()
