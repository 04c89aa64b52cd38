#!/usr/bin/python3
"""Generates the small ONNX models used by the importer's lit tests.

Run with Debian's interpreter (it has the onnx package):

    /usr/bin/python3 test/Frontend/ONNX/Inputs/make_models.py

The output is deterministic (fixed seeds, no timestamps); the generated files
are committed next to this script so the tests need no Python.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(0)


def weights(name, shape, dtype=np.float32):
    return numpy_helper.from_array(RNG.standard_normal(shape).astype(dtype), name)


def tensor(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def model(nodes, inputs, outputs, initializers=(), opset=13, name="g",
          extra_opsets=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    opsets = [helper.make_opsetid("", opset)] + list(extra_opsets)
    m = helper.make_model(graph, opset_imports=opsets,
                          producer_name="tessera-tests")
    m.ir_version = 8
    # Outputs declared without a shape get the one ONNX infers (the checker
    # wants a shape on every graph output).
    if any(not o.type.tensor_type.HasField("shape") for o in m.graph.output):
        try:
            inferred = onnx.shape_inference.infer_shapes(m)
            for out, inf in zip(m.graph.output, inferred.graph.output):
                if not out.type.tensor_type.HasField("shape"):
                    out.type.CopyFrom(inf.type)
        except Exception:
            pass
    return m


def save(m, filename, check=True):
    if check:
        onnx.checker.check_model(m)
    with open(os.path.join(HERE, filename), "wb") as f:
        f.write(m.SerializeToString())


def write_bytes(filename, data):
    with open(os.path.join(HERE, filename), "wb") as f:
        f.write(data)


# --- Conv -----------------------------------------------------------------

def conv():
    # Symbolic batch dim: stays `?` unless --shape fixes it.
    return model(
        [helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"], ["y"],
                          name="conv1", strides=[2, 2], pads=[1, 1, 1, 1],
                          kernel_shape=[3, 3])],
        [tensor("x", T.FLOAT, ["batch", 3, 8, 8])],
        [tensor("y", T.FLOAT, ["batch", 4, 4, 4])],
        [weights("conv1.weight", [4, 3, 3, 3]), weights("conv1.bias", [4])])


def conv_autopad():
    w3 = weights("w3", [2, 2, 3, 3])
    w4 = weights("w4", [2, 2, 4, 4])
    return model(
        [helper.make_node("Conv", ["x", "w3"], ["upper"], name="same_upper",
                          auto_pad="SAME_UPPER", strides=[2, 2]),
         helper.make_node("Conv", ["x", "w4"], ["lower"], name="same_lower",
                          auto_pad="SAME_LOWER"),
         helper.make_node("Conv", ["x", "w3"], ["valid"], name="valid",
                          auto_pad="VALID")],
        [tensor("x", T.FLOAT, [1, 2, 7, 7])],
        [tensor("upper", T.FLOAT, None), tensor("lower", T.FLOAT, None),
         tensor("valid", T.FLOAT, None)],
        [w3, w4])


def conv3d_group():
    return model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv3d", group=2,
                          dilations=[2, 2, 2], pads=[2, 2, 2, 2, 2, 2])],
        [tensor("x", T.FLOAT, [1, 4, 6, 6, 6])],
        [tensor("y", T.FLOAT, None)],
        [weights("w", [4, 2, 3, 3, 3])])


# --- MatMul / Gemm --------------------------------------------------------

def matmul_gemm():
    return model(
        [helper.make_node("MatMul", ["a", "b"], ["ab"], name="mm"),
         helper.make_node("Gemm", ["m", "gw", "gc"], ["g"], name="gemm",
                          alpha=0.5, beta=2.0, transB=1)],
        [tensor("a", T.FLOAT, [2, 3, 4]), tensor("b", T.FLOAT, [4, 5]),
         tensor("m", T.FLOAT, [2, 6])],
        [tensor("ab", T.FLOAT, None), tensor("g", T.FLOAT, None)],
        [weights("gw", [3, 6]), weights("gc", [3])])


# --- Elementwise ----------------------------------------------------------

def elementwise():
    lo = numpy_helper.from_array(np.array(0.0, np.float32), "lo")
    hi = numpy_helper.from_array(np.array(6.0, np.float32), "hi")
    return model(
        [helper.make_node("Add", ["x", "bias"], ["add"], name="add"),
         helper.make_node("Sub", ["add", "x"], ["sub"], name="sub"),
         helper.make_node("Mul", ["sub", "x"], ["mul"], name="mul"),
         helper.make_node("Div", ["mul", "x"], ["div"], name="div"),
         helper.make_node("Relu", ["div"], ["relu"], name="relu"),
         helper.make_node("LeakyRelu", ["relu"], ["leaky"], name="leaky",
                          alpha=0.25),
         helper.make_node("Sigmoid", ["leaky"], ["sig"], name="sig"),
         helper.make_node("Tanh", ["sig"], ["tanh"], name="tanh"),
         helper.make_node("Clip", ["tanh", "lo", "hi"], ["clip"], name="clip"),
         helper.make_node("Clip", ["clip", "", "hi"], ["clip_max"],
                          name="clip_max")],
        [tensor("x", T.FLOAT, [2, 3])],
        [tensor("clip_max", T.FLOAT, [2, 3])],
        [weights("bias", [3]), lo, hi])


def clip_opset6():
    return model(
        [helper.make_node("Clip", ["x"], ["y"], name="clip6", min=-1.0,
                          max=1.0)],
        [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])], opset=6)


def legacy_broadcast():
    # Opset 6 Add with broadcast=1, axis=1: B [3] aligns with dim 1 of A.
    return model(
        [helper.make_node("Add", ["x", "b"], ["y"], name="add6", broadcast=1,
                          axis=1)],
        [tensor("x", T.FLOAT, [2, 3, 4, 5])],
        [tensor("y", T.FLOAT, [2, 3, 4, 5])],
        [weights("b", [3])], opset=6)


# --- Pooling and normalization --------------------------------------------

def pool():
    return model(
        [helper.make_node("MaxPool", ["x"], ["max"], name="maxpool",
                          kernel_shape=[3, 3], strides=[2, 2],
                          pads=[1, 1, 1, 1], ceil_mode=1),
         helper.make_node("AveragePool", ["x"], ["avg"], name="avgpool",
                          kernel_shape=[2, 2], strides=[2, 2],
                          auto_pad="SAME_UPPER", count_include_pad=1),
         helper.make_node("GlobalAveragePool", ["x"], ["gap"], name="gap")],
        [tensor("x", T.FLOAT, [1, 2, 9, 9])],
        [tensor("max", T.FLOAT, None), tensor("avg", T.FLOAT, None),
         tensor("gap", T.FLOAT, None)])


def batchnorm():
    return model(
        [helper.make_node("BatchNormalization",
                          ["x", "scale", "b", "mean", "var"], ["y"],
                          name="bn", epsilon=1e-3)],
        [tensor("x", T.FLOAT, [1, 3, 4, 4])],
        [tensor("y", T.FLOAT, [1, 3, 4, 4])],
        [weights("scale", [3]), weights("b", [3]), weights("mean", [3]),
         numpy_helper.from_array(np.ones(3, np.float32), "var")])


def softmax(opset):
    return model(
        [helper.make_node("Softmax", ["x"], ["sm"], name="softmax"),
         helper.make_node("LogSoftmax", ["x"], ["lsm"], name="logsoftmax"),
         helper.make_node("Softmax", ["x"], ["sm_last"], name="softmax_last",
                          axis=2)],
        [tensor("x", T.FLOAT, [2, 3, 4])],
        [tensor("sm", T.FLOAT, None), tensor("lsm", T.FLOAT, None),
         tensor("sm_last", T.FLOAT, None)], opset=opset)


# --- Data movement --------------------------------------------------------

def data_movement():
    shape = numpy_helper.from_array(np.array([0, -1], np.int64), "shape")
    return model(
        [helper.make_node("Reshape", ["x", "shape"], ["reshaped"],
                          name="reshape"),
         helper.make_node("Relu", ["reshaped"], ["r"], name="relu"),
         helper.make_node("Flatten", ["x"], ["flat"], name="flatten", axis=2),
         helper.make_node("Transpose", ["x"], ["t_default"], name="t_default"),
         helper.make_node("Transpose", ["x"], ["t_perm"], name="t_perm",
                          perm=[0, 2, 1]),
         helper.make_node("Concat", ["x", "x"], ["cat"], name="concat",
                          axis=1),
         helper.make_node("Unsqueeze", ["x", "axes"], ["unsq"],
                          name="unsqueeze"),
         helper.make_node("Squeeze", ["unsq", "axes"], ["sq"],
                          name="squeeze")],
        [tensor("x", T.FLOAT, [2, 3, 4])],
        [tensor("r", T.FLOAT, None), tensor("flat", T.FLOAT, None),
         tensor("t_default", T.FLOAT, None), tensor("t_perm", T.FLOAT, None),
         tensor("cat", T.FLOAT, None), tensor("sq", T.FLOAT, None)],
        [shape, numpy_helper.from_array(np.array([1], np.int64), "axes")])


def constants():
    value = numpy_helper.from_array(
        np.arange(24, dtype=np.float32).reshape(2, 3, 4), "ignored")
    return model(
        [helper.make_node("Constant", [], ["c_tensor"], name="c_tensor",
                          value=value),
         helper.make_node("Constant", [], ["c_float"], name="c_float",
                          value_float=1.5),
         helper.make_node("Constant", [], ["c_ints"], name="c_ints",
                          value_ints=[1, 2, 3]),
         helper.make_node("Identity", ["x"], ["id"], name="identity"),
         helper.make_node("Dropout", ["id", "ratio"], ["dropped"],
                          name="dropout"),
         helper.make_node("Add", ["dropped", "c_tensor"], ["sum"], name="add"),
         helper.make_node("Mul", ["sum", "c_float"], ["y"], name="mul")],
        [tensor("x", T.FLOAT, [2, 3, 4])],
        [tensor("y", T.FLOAT, [2, 3, 4]), tensor("c_ints", T.INT64, [3])],
        [numpy_helper.from_array(np.array(0.5, np.float32), "ratio")])


def shape_fold():
    # Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): the pattern
    # simple exporters (torch.flatten) emit.
    return model(
        [helper.make_node("Shape", ["x"], ["s"], name="shape"),
         helper.make_node("Gather", ["s", "zero"], ["n"], name="gather",
                          axis=0),
         helper.make_node("Unsqueeze", ["n", "axes"], ["n1"],
                          name="unsqueeze"),
         helper.make_node("Concat", ["n1", "minus_one"], ["target"],
                          name="concat", axis=0),
         helper.make_node("Cast", ["target"], ["target64"], name="cast",
                          to=T.INT64),
         helper.make_node("Reshape", ["x", "target64"], ["y"],
                          name="reshape")],
        [tensor("x", T.FLOAT, [2, 3, 4])],
        [tensor("y", T.FLOAT, [2, 12])],
        [numpy_helper.from_array(np.array(0, np.int64), "zero"),
         numpy_helper.from_array(np.array([0], np.int64), "axes"),
         numpy_helper.from_array(np.array([-1], np.int64), "minus_one")])


def dtypes():
    # One initializer per data type, through Identity to an output; small
    # ones are inline dense, large ones dense_resource. Typed fields and
    # raw_data are both covered.
    inits = [
        helper.make_tensor("f16", T.FLOAT16, [2], [1.0, -2.0]),
        helper.make_tensor("f64", T.DOUBLE, [2], [0.5, 1.5]),
        helper.make_tensor("i8", T.INT8, [3], [-1, 0, 127]),
        helper.make_tensor("i16", T.INT16, [2], [-300, 300]),
        helper.make_tensor("i32", T.INT32, [2], [-70000, 70000]),
        helper.make_tensor("i64", T.INT64, [2], [-(1 << 40), 1 << 40]),
        helper.make_tensor("u8", T.UINT8, [2], [0, 255]),
        helper.make_tensor("u16", T.UINT16, [2], [0, 65535]),
        helper.make_tensor("u32", T.UINT32, [1], [4000000000]),
        helper.make_tensor("u64", T.UINT64, [1], [1 << 63]),
        helper.make_tensor("b", T.BOOL, [3], [True, False, True]),
        numpy_helper.from_array(np.arange(-10, 10, dtype=np.int32), "i32_raw"),
        numpy_helper.from_array(np.arange(20, dtype=np.float64), "f64_raw"),
        numpy_helper.from_array(np.arange(20) % 2 == 0, "bool_big"),
        helper.make_tensor("i64_typed_big", T.INT64, [20], list(range(20))),
    ]
    nodes, outputs = [], []
    for t in inits:
        nodes.append(helper.make_node("Identity", [t.name], [t.name + "_out"],
                                      name="id_" + t.name))
        outputs.append(helper.make_tensor_value_info(t.name + "_out",
                                                     t.data_type, None))
    return model(nodes, [], outputs, inits)


def unsorted():
    # Nodes listed out of topological order (but acyclic) still import.
    return model(
        [helper.make_node("Relu", ["a"], ["y"], name="second"),
         helper.make_node("Sigmoid", ["x"], ["a"], name="first")],
        [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])])


def unnamed():
    # Nodes without names are called <OpType>_<index> in locations/errors;
    # the MatMul's shapes do not match.
    return model(
        [helper.make_node("Relu", ["x"], ["a"]),
         helper.make_node("MatMul", ["a", "x"], ["y"])],
        [tensor("x", T.FLOAT, [2, 3])], [tensor("y", T.FLOAT, ["d0", "d1"])])


def opset18():
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])],
                 opset=18)


def external_data(filename, location):
    m = model(
        [helper.make_node("MatMul", ["x", "ext.weight"], ["y"], name="mm")],
        [tensor("x", T.FLOAT, [1, 8])], [tensor("y", T.FLOAT, [1, 16])],
        [weights("ext.weight", [8, 16])])
    # onnx appends to an existing data file: start from scratch.
    if os.path.exists(os.path.join(HERE, location)):
        os.remove(os.path.join(HERE, location))
    onnx.save_model(m, os.path.join(HERE, filename), save_as_external_data=True,
                    all_tensors_to_one_file=True, location=location,
                    size_threshold=0)


# --- Bad models -----------------------------------------------------------

def unsupported():
    return model(
        [helper.make_node("NonZero", ["x"], ["a"], name="nonzero"),
         helper.make_node("Relu", ["a"], ["b"], name="relu"),
         helper.make_node("FusedThing", ["b"], ["c"], name="custom",
                          domain="com.microsoft"),
         helper.make_node("Det", ["c"], ["y"], name="det")],
        [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])],
        extra_opsets=[helper.make_opsetid("com.microsoft", 1)])


def cycle():
    return model(
        [helper.make_node("Relu", ["b"], ["a"], name="r1"),
         helper.make_node("Relu", ["a"], ["b"], name="r2"),
         helper.make_node("Add", ["x", "a"], ["y"], name="add")],
        [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])])


def missing_initializer():
    return model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")],
        [tensor("x", T.FLOAT, [1, 1, 4, 4])], [tensor("y", T.FLOAT, None)])


def invalid():
    # Add with one input: the ONNX checker rejects it.
    return model([helper.make_node("Add", ["x"], ["y"], name="add")],
                 [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])])


def no_opset():
    m = model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
              [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])])
    del m.opset_import[:]
    return m


def clip_dynamic_bound():
    return model(
        [helper.make_node("Clip", ["x", "lo"], ["y"], name="clip_dyn")],
        [tensor("x", T.FLOAT, [4]), tensor("lo", T.FLOAT, [])],
        [tensor("y", T.FLOAT, [4])])


def maxpool_indices():
    return model(
        [helper.make_node("MaxPool", ["x"], ["y", "idx"], name="pool_idx",
                          kernel_shape=[2, 2])],
        [tensor("x", T.FLOAT, [1, 1, 4, 4])],
        [tensor("y", T.FLOAT, None), tensor("idx", T.INT64, None)])


def batchnorm_training():
    return model(
        [helper.make_node("BatchNormalization",
                          ["x", "s", "b", "m", "v"], ["y", "rm", "rv"],
                          name="bn_train", training_mode=1)],
        [tensor("x", T.FLOAT, [1, 2, 3, 3])],
        [tensor("y", T.FLOAT, None), tensor("rm", T.FLOAT, None),
         tensor("rv", T.FLOAT, None)],
        [weights(n, [2]) for n in "sbmv"], opset=15)


def dropout_mask():
    return model(
        [helper.make_node("Dropout", ["x"], ["y", "mask"], name="drop")],
        [tensor("x", T.FLOAT, [4])],
        [tensor("y", T.FLOAT, [4]), tensor("mask", T.BOOL, [4])])


def reshape_dynamic():
    return model(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_dyn")],
        [tensor("x", T.FLOAT, [2, 3]), tensor("shape", T.INT64, [2])],
        [tensor("y", T.FLOAT, ["d0", "d1"])])


def reshape_runtime_shape():
    # The shape is a graph input (as in ONNX's test_reshape_*); the declared
    # output shape is static.
    return model(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_rt")],
        [tensor("x", T.FLOAT, [2, 3, 4]), tensor("shape", T.INT64, [3])],
        [tensor("y", T.FLOAT, [4, 2, 3])])


def reshape_runtime_mismatch():
    # The declared output shape does not have the input's element count.
    return model(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_bad")],
        [tensor("x", T.FLOAT, [2, 3]), tensor("shape", T.INT64, [2])],
        [tensor("y", T.FLOAT, [4, 2])])


def clip_runtime_bounds():
    return model(
        [helper.make_node("Clip", ["x", "lo", "hi"], ["y"], name="clip_rt"),
         helper.make_node("Clip", ["x", "", "hi"], ["z"], name="clip_hi")],
        [tensor("x", T.INT8, [2, 3]), tensor("lo", T.INT8, []),
         tensor("hi", T.INT8, [])],
        [tensor("y", T.INT8, [2, 3]), tensor("z", T.INT8, [2, 3])])


def unary_math():
    nodes = [
        helper.make_node("Exp", ["x"], ["exp"], name="exp"),
        helper.make_node("Round", ["x"], ["round"], name="round"),
        helper.make_node("Elu", ["x"], ["elu"], name="elu", alpha=0.5),
        helper.make_node("HardSigmoid", ["x"], ["hs"], name="hs"),
        helper.make_node("Shrink", ["x"], ["shrink"], name="shrink",
                         bias=1.5, lambd=1.0),
        helper.make_node("IsInf", ["x"], ["inf"], name="isinf",
                         detect_negative=0),
        helper.make_node("IsNaN", ["x"], ["nan"], name="isnan"),
    ]
    return model(nodes, [tensor("x", T.FLOAT, [2, 3])],
                 [tensor(n, T.FLOAT, [2, 3])
                  for n in ["exp", "round", "elu", "hs", "shrink"]] +
                 [tensor(n, T.BOOL, [2, 3]) for n in ["inf", "nan"]])


def unary_bad_attr():
    return model(
        [helper.make_node("Elu", ["x"], ["y"], name="elu_bad", alpha="big")],
        [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])])


def clip_vector_bound():
    return model(
        [helper.make_node("Clip", ["x", "lo"], ["y"], name="clip_vec")],
        [tensor("x", T.FLOAT, [4]), tensor("lo", T.FLOAT, [2])],
        [tensor("y", T.FLOAT, [4])])


def matmul_mismatch():
    return model(
        [helper.make_node("MatMul", ["a", "b"], ["y"], name="mm_bad")],
        [tensor("a", T.FLOAT, [2, 3]), tensor("b", T.FLOAT, [4, 5])],
        [tensor("y", T.FLOAT, ["d0", "d1"])])


def binary_logic():
    nodes = [
        helper.make_node("Pow", ["x", "e"], ["pow"], name="pow"),
        helper.make_node("Sum", ["x", "y", "x"], ["sum"], name="sum"),
        helper.make_node("Mean", ["x", "y"], ["mean"], name="mean"),
        helper.make_node("Max", ["x"], ["max1"], name="max1"),
        helper.make_node("Min", ["x", "y"], ["min"], name="min"),
        helper.make_node("PRelu", ["x", "slope"], ["prelu"], name="prelu"),
        helper.make_node("Mod", ["i", "j"], ["mod"], name="mod"),
        helper.make_node("Less", ["x", "y"], ["lt"], name="lt"),
        helper.make_node("GreaterOrEqual", ["i", "j"], ["ge"], name="ge"),
        helper.make_node("And", ["lt", "ge"], ["and"], name="and"),
        helper.make_node("Not", ["and"], ["not"], name="not"),
        helper.make_node("Where", ["not", "x", "y"], ["where"], name="where"),
    ]
    return model(
        nodes,
        [tensor("x", T.FLOAT, [2, 3]), tensor("y", T.FLOAT, [3]),
         tensor("e", T.INT64, [2, 3]), tensor("slope", T.FLOAT, [3]),
         tensor("i", T.INT32, [2, 3]), tensor("j", T.INT32, [2, 3])],
        [tensor(n, T.FLOAT, [2, 3])
         for n in ["pow", "sum", "mean", "max1", "min", "prelu"]] +
        [tensor("mod", T.INT32, [2, 3]), tensor("where", T.FLOAT, [2, 3])])


def mod_bad_attr():
    return model(
        [helper.make_node("Mod", ["a", "b"], ["y"], name="mod_bad", fmod=2)],
        [tensor("a", T.INT32, [4]), tensor("b", T.INT32, [4])],
        [tensor("y", T.INT32, [4])], name="g")


def mean_int():
    return model(
        [helper.make_node("Mean", ["a", "b"], ["y"], name="mean_int")],
        [tensor("a", T.INT32, [4]), tensor("b", T.INT32, [4])],
        [tensor("y", T.INT32, [4])])


def cast():
    nodes = [
        helper.make_node("Cast", ["x"], ["i"], name="cast_i", to=T.INT32),
        helper.make_node("CastLike", ["x", "like"], ["b"], name="castlike"),
        helper.make_node("Cast", ["x"], ["same"], name="cast_same", to=T.FLOAT),
        helper.make_node("Constant", [], ["c"], name="c",
                         value=numpy_helper.from_array(
                             np.array([0.0, 2.5, -1.0], np.float32))),
        helper.make_node("Cast", ["c"], ["cb"], name="cast_const", to=T.BOOL),
    ]
    return model(nodes,
                  [tensor("x", T.FLOAT, [3]), tensor("like", T.BOOL, [1])],
                  [tensor("i", T.INT32, [3]), tensor("b", T.BOOL, [3]),
                   tensor("same", T.FLOAT, [3]), tensor("cb", T.BOOL, [3])],
                  opset=15)


def cast_bad():
    return model(
        [helper.make_node("Cast", ["x"], ["y"], name="cast_string",
                          to=T.STRING)],
        [tensor("x", T.FLOAT, [3])], [tensor("y", T.STRING, [3])])


def cast_no_to():
    return model(
        [helper.make_node("Cast", ["x"], ["y"], name="cast_no_to")],
        [tensor("x", T.FLOAT, [3])], [tensor("y", T.FLOAT, [3])])


def expand_tile_slice():
    def ints(name, values):
        return numpy_helper.from_array(np.array(values, np.int64), name)
    nodes = [
        helper.make_node("Expand", ["x", "shape"], ["e"], name="expand"),
        helper.make_node("Tile", ["x", "reps"], ["t"], name="tile"),
        helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"],
                         ["s"], name="slice"),
    ]
    return model(
        nodes,
        [tensor("x", T.FLOAT, [3, 1])],
        [tensor("e", T.FLOAT, [2, 3, 4]), tensor("t", T.FLOAT, [6, 2]),
         tensor("s", T.FLOAT, [2, 1])],
        [ints("shape", [2, 1, 4]), ints("reps", [2, 2]),
         ints("starts", [-1, 0]), ints("ends", [-100, 9]),
         ints("axes", [0, -1]), ints("steps", [-2, 1])])


def expand_runtime_shape():
    return model(
        [helper.make_node("Expand", ["x", "rt_shape"], ["er"],
                          name="expand_rt")],
        [tensor("x", T.FLOAT, [3, 1]), tensor("rt_shape", T.INT64, [2])],
        [tensor("er", T.FLOAT, [3, 5])])


def slice_runtime():
    """Slice with starts/ends/axes given at run time; the output shape is
    recorded."""
    return model(
        [helper.make_node("Slice", ["x", "starts", "ends", "axes"], ["y"],
                          name="slice_rt")],
        [tensor("x", T.FLOAT, [4, 6]), tensor("starts", T.INT64, [1]),
         tensor("ends", T.INT64, [1]), tensor("axes", T.INT64, [1])],
        [tensor("y", T.FLOAT, [4, 2])])


def symbolic_batch():
    """A symbolic batch dimension that a shape computation needs static."""
    return model(
        [helper.make_node("Shape", ["x"], ["s"], name="shape_of_x"),
         helper.make_node("ConstantOfShape", ["s"], ["y"], name="zeros")],
        [tensor("x", T.FLOAT, ["batch", 3])], [tensor("y", T.FLOAT, ["batch", 3])])


def pad_runtime():
    """Reflect padding by pads given at run time; the output shape is
    recorded."""
    return model(
        [helper.make_node("Pad", ["x", "pads"], ["y"], mode="reflect",
                          name="pad_rt")],
        [tensor("x", T.FLOAT, [2, 4]), tensor("pads", T.INT64, [4])],
        [tensor("y", T.FLOAT, [2, 7])])


def expand_unknown_shape():
    """Expand by a run-time shape whose output shape is not recorded."""
    return model(
        [helper.make_node("Expand", ["x", "rt_shape"], ["er"],
                          name="expand_unknown")],
        [tensor("x", T.FLOAT, [3, 1]), tensor("rt_shape", T.INT64, [2])],
        [tensor("er", T.FLOAT, ["a", "b"])])


def dropout_training():
    """Dropout in training mode with a non-zero ratio (random)."""
    def scalar(name, value, dtype):
        return numpy_helper.from_array(np.array(value, dtype), name)
    return model(
        [helper.make_node("Dropout", ["x", "ratio", "training"], ["y"],
                          name="drop_train")],
        [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])],
        [scalar("ratio", 0.5, np.float32), scalar("training", True, np.bool_)])


def slice_bad():
    def ints(name, values):
        return numpy_helper.from_array(np.array(values, np.int64), name)
    return model(
        [helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"],
                          ["y"], name="slice_zero_step")],
        [tensor("x", T.FLOAT, [4])], [tensor("y", T.FLOAT, [4])],
        [ints("starts", [0]), ints("ends", [4]), ints("axes", [0]),
         ints("steps", [0])])


def split_size():
    return model(
        [helper.make_node("Split", ["x", "split"], ["a", "b"], name="split",
                          axis=1),
         helper.make_node("Split", ["y"], ["p", "q", "r"], name="split3"),
         helper.make_node("Size", ["x"], ["n"], name="size")],
        [tensor("x", T.FLOAT, [2, 3]), tensor("y", T.FLOAT, [6])],
        [tensor("a", T.FLOAT, [2, 1]), tensor("b", T.FLOAT, [2, 2]),
         tensor("p", T.FLOAT, [2]), tensor("q", T.FLOAT, [2]),
         tensor("r", T.FLOAT, [2]), tensor("n", T.INT64, [])],
        [numpy_helper.from_array(np.array([1, 2], np.int64), "split")])


def gather():
    return model(
        [helper.make_node("Gather", ["x", "i"], ["y"], name="gather", axis=-1),
         helper.make_node("ConstantOfShape", ["cs"], ["c"], name="cos",
                          value=numpy_helper.from_array(
                              np.array([7], np.int32)))],
        [tensor("x", T.FLOAT, [2, 5]), tensor("i", T.INT64, [3, 1])],
        [tensor("y", T.FLOAT, [2, 3, 1]), tensor("c", T.INT32, [2, 2])],
        [numpy_helper.from_array(np.array([2, 2], np.int64), "cs")])


def pad():
    return model(
        [helper.make_node("Pad", ["x", "pads", "v"], ["c"], name="pad_const"),
         helper.make_node("Pad", ["x", "pads"], ["r"], name="pad_reflect",
                          mode="reflect")],
        [tensor("x", T.FLOAT, [3, 4])],
        [tensor("c", T.FLOAT, [3, 7]), tensor("r", T.FLOAT, [3, 7])],
        [numpy_helper.from_array(np.array([0, 1, 0, 2], np.int64), "pads"),
         numpy_helper.from_array(np.array(1.5, np.float32), "v")])


def pad_bad():
    return model(
        [helper.make_node("Pad", ["x"], ["y"], name="pad_too_big",
                          mode="reflect", pads=[0, 4, 0, 0])],
        [tensor("x", T.FLOAT, [3, 4])], [tensor("y", T.FLOAT, [3, 8])],
        opset=6)


def main():
    save(conv(), "conv.onnx")
    save(conv_autopad(), "conv_autopad.onnx")
    save(conv3d_group(), "conv3d_group.onnx")
    save(matmul_gemm(), "matmul_gemm.onnx")
    save(elementwise(), "elementwise.onnx")
    save(clip_opset6(), "clip_opset6.onnx")
    save(legacy_broadcast(), "legacy_broadcast.onnx")
    save(pool(), "pool.onnx")
    save(batchnorm(), "batchnorm.onnx")
    save(softmax(11), "softmax_opset11.onnx")
    save(softmax(13), "softmax_opset13.onnx")
    save(data_movement(), "data_movement.onnx")
    save(constants(), "constants.onnx")
    save(shape_fold(), "shape_fold.onnx")
    save(dtypes(), "dtypes.onnx")
    save(slice_runtime(), "slice_runtime.onnx")
    save(symbolic_batch(), "symbolic_batch.onnx")
    save(pad_runtime(), "pad_runtime.onnx")
    save(expand_unknown_shape(), "expand_unknown_shape.onnx")
    save(dropout_training(), "dropout_training.onnx")
    save(unsorted(), "unsorted.onnx", check=False)
    save(unnamed(), "unnamed.onnx", check=False)
    save(opset18(), "opset18.onnx", check=False)
    external_data("external_data.onnx", "external_data.bin")

    # External data whose file is too short, or missing.
    external_data("external_short.onnx", "external_short.bin")
    path = os.path.join(HERE, "external_short.bin")
    with open(path, "rb") as f:
        data = f.read()
    write_bytes("external_short.bin", data[:100])
    external_data("external_missing.onnx", "external_missing.bin")
    os.remove(os.path.join(HERE, "external_missing.bin"))

    save(unsupported(), "unsupported.onnx")
    save(cycle(), "cycle.onnx", check=False)
    save(missing_initializer(), "missing_initializer.onnx", check=False)
    save(invalid(), "invalid.onnx", check=False)
    save(no_opset(), "no_opset.onnx", check=False)
    save(clip_dynamic_bound(), "clip_dynamic_bound.onnx")
    save(maxpool_indices(), "maxpool_indices.onnx")
    save(batchnorm_training(), "batchnorm_training.onnx")
    save(dropout_mask(), "dropout_mask.onnx")
    save(reshape_dynamic(), "reshape_dynamic.onnx")
    save(matmul_mismatch(), "matmul_mismatch.onnx", check=False)
    save(reshape_runtime_shape(), "reshape_runtime_shape.onnx")
    save(reshape_runtime_mismatch(), "reshape_runtime_mismatch.onnx")
    save(clip_runtime_bounds(), "clip_runtime_bounds.onnx")
    save(clip_vector_bound(), "clip_vector_bound.onnx")
    save(unary_math(), "unary_math.onnx")
    save(unary_bad_attr(), "unary_bad_attr.onnx", check=False)
    save(binary_logic(), "binary_logic.onnx")
    save(mod_bad_attr(), "mod_bad_attr.onnx", check=False)
    save(mean_int(), "mean_int.onnx", check=False)
    save(cast(), "cast.onnx")
    save(cast_bad(), "cast_bad.onnx")
    save(cast_no_to(), "cast_no_to.onnx", check=False)
    save(expand_tile_slice(), "expand_tile_slice.onnx")
    save(expand_runtime_shape(), "expand_runtime_shape.onnx")
    save(slice_bad(), "slice_bad.onnx", check=False)
    save(split_size(), "split_size.onnx")
    save(gather(), "gather.onnx")
    save(pad(), "pad.onnx")
    save(pad_bad(), "pad_bad.onnx")

    conv_bytes = conv().SerializeToString()
    write_bytes("truncated.onnx", conv_bytes[: len(conv_bytes) // 2])
    write_bytes("corrupted.onnx", b"this is not an ONNX model\n" + bytes(range(256)))
    write_bytes("empty.onnx", b"")


if __name__ == "__main__":
    main()
