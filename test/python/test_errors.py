"""Errors are Python exceptions with the compiler's or the runtime's words,
never a crash."""

import numpy as np
import pytest

import tessera
from conftest import make_model


@pytest.fixture(scope="module")
def unsupported_model():
    """A valid ONNX model whose node 'det_node' is an op Tessera lacks."""
    from onnx import TensorProto, helper

    return make_model(
        [helper.make_node("Relu", ["x"], ["r"], name="relu_node"),
         helper.make_node("Det", ["r"], ["y"], name="det_node")],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [])])


def test_unsupported_op_names_node(unsupported_model):
    with pytest.raises(tessera.CompileError) as info:
        tessera.compile(unsupported_model)
    error = info.value
    assert isinstance(error, tessera.Error)
    text = str(error)
    assert text.startswith("error: unsupported ONNX op 'Det'")
    assert "det_node" in text
    assert "[at " in text
    assert error.nodes == ["det_node"]
    (diag,) = [d for d in error.diagnostics if d.severity == "error"]
    assert diag.node == "det_node"
    assert "Det" in diag.message


def test_unsupported_op_from_path(tmp_path, unsupported_model):
    path = tmp_path / "det.onnx"
    path.write_bytes(unsupported_model.SerializeToString())
    with pytest.raises(tessera.CompileError, match="det_node"):
        tessera.compile(str(path))


def test_not_an_onnx_file(tmp_path):
    path = tmp_path / "garbage.onnx"
    path.write_bytes(b"this is not a protobuf \xff\xfe\x00\x01" * 10)
    with pytest.raises(tessera.CompileError) as info:
        tessera.compile(str(path))
    assert str(info.value).startswith("error: ")


def test_garbage_bytes():
    with pytest.raises(tessera.CompileError):
        tessera.compile(b"\x08\x07\x12\x05garbage\xff\xff\xff")


def test_empty_bytes():
    with pytest.raises(tessera.CompileError):
        tessera.compile(b"")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such.onnx"):
        tessera.compile(str(tmp_path / "no-such.onnx"))
    with pytest.raises(FileNotFoundError):
        tessera.load(tmp_path / "no-such.so")


def test_wrong_model_type():
    with pytest.raises(TypeError, match="path, bytes or an onnx.ModelProto"):
        tessera.compile(42)


def test_unknown_target(mlp):
    with pytest.raises(tessera.CompileError, match="unknown target 'tpu'.*cpu, vulkan, cuda"):
        tessera.compile(mlp.onnx, target="tpu")


def test_missing_device(mlp, monkeypatch):
    # The CUDA artifact compiles anywhere; loading it where the driver is
    # missing names the device and what to do.
    monkeypatch.setenv("TESSERA_CUDA_LIBRARY", "/nonexistent/libcuda.so.1")
    with pytest.raises(tessera.RuntimeError, match="runs on cuda, but no CUDA driver"):
        tessera.compile(mlp.onnx, target="cuda")


def test_load_not_an_artifact(tmp_path):
    path = tmp_path / "fake.so"
    path.write_bytes(b"not a shared library")
    with pytest.raises(tessera.RuntimeError) as info:
        tessera.load(path)
    assert isinstance(info.value, RuntimeError)  # the builtin one too


def test_load_library_without_metadata(tmp_path):
    import ctypes.util
    libm = ctypes.util.find_library("m")
    candidates = [f"/lib/x86_64-linux-gnu/{libm}", f"/usr/lib/x86_64-linux-gnu/{libm}"]
    existing = [c for c in candidates if libm and __import__("os").path.exists(c)]
    if not existing:
        pytest.skip("no libm to load")
    with pytest.raises(tessera.RuntimeError):
        tessera.load(existing[0])


def test_wrong_input_dtype(mlp_compiled, mlp):
    x = mlp.input.astype(np.float64)
    shape = "x".join(str(d) for d in mlp.input.shape)
    with pytest.raises(ValueError) as info:
        mlp_compiled(x)
    assert str(info.value) == \
        f"input 'input' expects float32 {shape}, got float64 {shape}"
    assert isinstance(info.value, tessera.InputError)
    assert isinstance(info.value, tessera.RuntimeError)


def test_wrong_input_shape(mlp_compiled, mlp):
    x = np.zeros(mlp.input.shape + (1,), np.float32)
    with pytest.raises(tessera.InputError,
                       match=r"input 'input' expects float32 .*, got float32 "):
        mlp_compiled(x)
    with pytest.raises(tessera.InputError, match="'input'"):
        mlp_compiled.run({"input": np.float32(1.0)})


def test_wrong_input_count(mlp_compiled, mlp):
    with pytest.raises(tessera.InputError,
                       match=r"takes 1 input \('input'\), got 2"):
        mlp_compiled(mlp.input, mlp.input)
    with pytest.raises(tessera.InputError, match="got 0"):
        mlp_compiled()


def test_run_names(mlp_compiled, mlp):
    with pytest.raises(tessera.InputError, match="missing input 'input'"):
        mlp_compiled.run({})
    with pytest.raises(tessera.InputError,
                       match=r"unknown input 'x' \(the model's inputs: 'input'\)"):
        mlp_compiled.run({"input": mlp.input, "x": mlp.input})
    with pytest.raises(TypeError, match="dict"):
        mlp_compiled.run([mlp.input])


def test_non_numeric_input(mlp_compiled):
    with pytest.raises(tessera.InputError, match="'input'"):
        mlp_compiled("not an array")
    with pytest.raises(tessera.InputError, match="'input'"):
        mlp_compiled(object())


def test_python_list_input_takes_model_dtype(add_relu_model):
    model = tessera.compile(add_relu_model, shapes={"x": (1, 4), "y": (1, 4)})
    out = model([[1, -2, 3, -4]], [[0, 0, 0, 0]])
    np.testing.assert_array_equal(out, np.array([[1, 0, 3, 0]], np.float32))
    with pytest.raises(tessera.InputError, match="input 'y' expects"):
        model([[1, -2, 3, -4]], [[0, 0]])


def test_native_layer_checks_buffers(mlp_compiled, mlp):
    # The native module validates too, so bypassing the checks in Python
    # still gives an exception rather than a crash.
    native = mlp_compiled._native
    with pytest.raises(ValueError, match="expects"):
        native.run([np.zeros(3, np.float32)],
                   [np.empty(mlp.expected.shape, np.float32)])
    with pytest.raises(ValueError, match="takes 1 inputs"):
        native.run([], [])
    with pytest.raises(ValueError, match="C-contiguous"):
        native.run([np.asfortranarray(np.zeros((4, mlp.input.size), np.float32))[::4]],
                   [np.empty(mlp.expected.shape, np.float32)])


def test_bad_shapes_argument(add_relu_model):
    with pytest.raises(ValueError, match="not a dimension size"):
        tessera.compile(add_relu_model, shapes={"x": (1, "many")})
    with pytest.raises(TypeError, match="dict"):
        tessera.compile(add_relu_model, shapes=[(1, 4)])


def test_emit_unknown_kind(mlp):
    with pytest.raises(ValueError, match="unknown emit kind"):
        tessera.emit(mlp.onnx, "ptx")


def test_symbolic_input_without_shapes(add_relu_model):
    # The CPU target needs static shapes; the error names the input.
    with pytest.raises(tessera.CompileError) as info:
        tessera.compile(add_relu_model)
    assert "'x'" in str(info.value)
