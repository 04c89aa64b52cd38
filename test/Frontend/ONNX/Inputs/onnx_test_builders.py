"""Helpers shared by the generators of the importer tests' small models
(make_*_models.py): value infos, constants, models and deterministic saving.
"""

import os

import numpy as np
import onnx
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def tensor(name, elem, shape):
    """A graph input/output of element type `elem` (TensorProto enum)."""
    return helper.make_tensor_value_info(name, elem, shape)


def const(name, values, dtype=np.int64):
    """An initializer holding `values` as `dtype`."""
    return numpy_helper.from_array(np.array(values, dtype=dtype), name)


def ints(name, values, dtype=np.int64):
    return const(name, values, dtype)


def floats(name, values):
    return const(name, values, np.float32)


def weight_factory(rng):
    """`weights(name, shape, dtype)`: standard-normal initializers drawn from
    `rng`, so each generator's output depends only on its own seed."""
    def weights(name, shape, dtype=np.float32):
        return numpy_helper.from_array(rng.standard_normal(shape).astype(dtype), name)
    return weights


def model(nodes, inputs, outputs, initializers=(), opset=13, name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                          producer_name="tessera-tests")
    m.ir_version = 8
    return m


def save(m, filename, check=True, full_check=False):
    """Writes `m` next to the generators (after the ONNX checker, which
    `check=False` skips for deliberately invalid models)."""
    if check:
        onnx.checker.check_model(m, full_check=full_check)
    with open(os.path.join(HERE, filename), "wb") as f:
        f.write(m.SerializeToString())
