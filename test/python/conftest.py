"""Shared fixtures of the tessera Python package tests.

ctest runs these with PYTHONPATH=<build>/python_packages and the tool paths
in TESSERA_COMPILE / TESSERA_RUN. By hand:

    PYTHONPATH=build/python_packages /usr/bin/python3 -m pytest -q test/python
"""

import os

import numpy as np
import pytest

# scripts/sanitize.sh preloads the ASan runtime into this interpreter for the
# instrumented _tessera module. The instrumented tools the tests start carry
# their own (static) copy of that runtime and refuse to run with a second one.
if "libclang_rt.asan" in os.environ.get("LD_PRELOAD", ""):
    del os.environ["LD_PRELOAD"]

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODELS = os.path.join(REPO, "test", "e2e", "models")
BUILD = os.environ.get("TESSERA_BUILD_DIR", os.path.join(REPO, "build"))

# Same acceptance rule as test/e2e/check_model.py.
RELATIVE_TOLERANCE = 1e-4


def assert_close(actual, expected):
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    scale = max(float(np.max(np.abs(expected))), 1e-30)
    error = float(np.max(np.abs(actual.astype(np.float64) - expected)))
    assert error <= RELATIVE_TOLERANCE * scale, \
        f"max |actual - expected| = {error:g} > {RELATIVE_TOLERANCE:g} * {scale:g}"


def tool(name):
    """Path of a built tool: $TESSERA_COMPILE / $TESSERA_RUN, else
    <build>/bin/<name>."""
    variable = "TESSERA_" + name.split("-")[1].upper()
    path = os.environ.get(variable) or os.path.join(BUILD, "bin", name)
    if not os.path.exists(path):
        pytest.skip(f"{name} not found at {path} (set {variable})")
    return path


class ModelDir:
    """test/e2e/models/<name>: model.onnx, input_0.npy, expected_0.npy."""

    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(MODELS, name)
        self.onnx = os.path.join(self.dir, "model.onnx")
        self.input = np.load(os.path.join(self.dir, "input_0.npy"))
        self.expected = np.load(os.path.join(self.dir, "expected_0.npy"))


@pytest.fixture(scope="session", params=["mlp", "cnn"])
def e2e_model(request):
    return ModelDir(request.param)


@pytest.fixture(scope="session")
def mlp():
    return ModelDir("mlp")


@pytest.fixture(scope="session")
def mlp_compiled(mlp):
    """The mlp model, compiled once for the session."""
    import tessera
    return tessera.compile(mlp.onnx)


def make_model(nodes, inputs, outputs, initializers=(), opset=14):
    """An onnx.ModelProto from helper-made parts, checked by onnx."""
    import onnx
    from onnx import helper

    graph = helper.make_graph(nodes, "test", inputs, outputs,
                              initializer=list(initializers))
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="tessera-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


@pytest.fixture(scope="session")
def add_relu_model():
    """z = relu(x + y) on float32 [N, 4] with a symbolic N."""
    from onnx import TensorProto, helper

    return make_model(
        [helper.make_node("Add", ["x", "y"], ["s"], name="add0"),
         helper.make_node("Relu", ["s"], ["z"], name="relu0")],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 4])])


@pytest.fixture(scope="session")
def two_output_model():
    """a = x * 2 (float32 [2, 3]); b = x + x, from one input."""
    from onnx import TensorProto, helper, numpy_helper

    two = numpy_helper.from_array(np.array(2.0, np.float32), "two")
    return make_model(
        [helper.make_node("Mul", ["x", "two"], ["a"], name="mul0"),
         helper.make_node("Add", ["x", "x"], ["b"], name="add0")],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, [2, 3])],
        initializers=[two])
