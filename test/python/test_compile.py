"""tessera.compile from a path, bytes and an onnx.ModelProto, checked against
PyTorch references; running, model description, options, explain()."""

import json
import threading

import numpy as np
import pytest

import tessera
from conftest import assert_close


def test_compile_path(e2e_model):
    model = tessera.compile(e2e_model.onnx)
    assert isinstance(model, tessera.CompiledModel)
    assert_close(model(e2e_model.input), e2e_model.expected)


def test_compile_bytes(e2e_model):
    with open(e2e_model.onnx, "rb") as f:
        data = f.read()
    model = tessera.compile(data)
    assert_close(model(e2e_model.input), e2e_model.expected)


def test_compile_model_proto(e2e_model):
    import onnx
    proto = onnx.load(e2e_model.onnx)
    model = tessera.compile(proto, target="cpu")
    assert_close(model(e2e_model.input), e2e_model.expected)


def test_compile_pathlike(tmp_path, mlp):
    import pathlib
    model = tessera.compile(pathlib.Path(mlp.onnx))
    assert_close(model(mlp.input), mlp.expected)


def test_inputs_outputs(mlp_compiled, mlp):
    (spec,) = mlp_compiled.inputs
    assert spec.name == "input"
    assert spec.shape == mlp.input.shape
    assert spec.dtype == np.float32
    (out,) = mlp_compiled.outputs
    assert out.name == "output"
    assert out.shape == mlp.expected.shape
    assert out.dtype == np.dtype("float32")
    assert mlp_compiled.input_names == ["input"]
    assert mlp_compiled.output_names == ["output"]
    assert "input: float32" in repr(mlp_compiled)


def test_run_by_name(mlp_compiled, mlp):
    outputs = mlp_compiled.run({"input": mlp.input})
    assert isinstance(outputs, list) and len(outputs) == 1
    assert_close(outputs[0], mlp.expected)


def test_outputs_are_fresh_arrays(mlp_compiled, mlp):
    first = mlp_compiled(mlp.input)
    second = mlp_compiled(mlp.input)
    assert first is not second
    assert not np.shares_memory(first, second)
    first[...] = 0
    assert_close(second, mlp.expected)


def test_non_contiguous_input(mlp_compiled, mlp):
    # Every other element of a bigger array: same values, other strides.
    padded = np.zeros(mlp.input.shape + (2,), mlp.input.dtype)
    padded[..., 0] = mlp.input
    view = padded[..., 0]
    assert not view.flags.c_contiguous
    assert_close(mlp_compiled(view), mlp.expected)
    # Non-native byte order is converted too.
    swapped = mlp.input.astype(mlp.input.dtype.newbyteorder(">"))
    assert_close(mlp_compiled(swapped), mlp.expected)


def test_two_outputs(two_output_model):
    model = tessera.compile(two_output_model)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    a, b = model(x)
    np.testing.assert_array_equal(a, x * 2)
    np.testing.assert_array_equal(b, x + x)
    assert [o.name for o in model.outputs] == ["a", "b"]
    ra, rb = model.run({"x": x})
    np.testing.assert_array_equal(ra, a)
    np.testing.assert_array_equal(rb, b)


@pytest.mark.parametrize("shape_spec", [(3, 4), [3, 4], "3x4"])
def test_shapes_option(add_relu_model, shape_spec):
    model = tessera.compile(add_relu_model,
                            shapes={"x": shape_spec, "y": shape_spec})
    assert [s.shape for s in model.inputs] == [(3, 4), (3, 4)]
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    y = np.full((3, 4), 0.25, np.float32)
    np.testing.assert_allclose(model(x, y), np.maximum(x + y, 0), rtol=1e-6)


def test_shapes_option_unknown_input(add_relu_model):
    with pytest.raises(tessera.CompileError, match="'nope'.*not an input"):
        tessera.compile(add_relu_model, shapes={"nope": (1, 4), "x": (1, 4),
                                                "y": (1, 4)})


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_opt_levels(mlp, level):
    model = tessera.compile(mlp.onnx, opt_level=level)
    assert_close(model(mlp.input), mlp.expected)
    assert model.explain()["opt_level"] == level


def test_threads_option(e2e_model):
    model = tessera.compile(e2e_model.onnx, threads=2)
    assert model.threads == 2
    assert tessera.get_num_threads() == 2
    tessera.set_num_threads(1)
    assert tessera.get_num_threads() == 1
    # The model sets its own thread count before every run.
    assert_close(model(e2e_model.input), e2e_model.expected)
    assert tessera.get_num_threads() == 2
    tessera.set_num_threads(1)


def test_threads_option_invalid(mlp):
    with pytest.raises(ValueError, match="threads"):
        tessera.compile(mlp.onnx, threads=-3)
    with pytest.raises(TypeError, match="threads"):
        tessera.compile(mlp.onnx, threads="many")


def test_concurrent_runs_from_python_threads(mlp_compiled, mlp):
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(mlp_compiled(mlp.input))
        except Exception as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    assert len(results) == 80
    for r in results:
        assert_close(r, mlp.expected)


def test_unknown_option_is_type_error(mlp):
    with pytest.raises(TypeError, match="'tile_policy'.*known: target"):
        tessera.compile(mlp.onnx, tile_policy="model")


def test_bad_opt_level(mlp):
    with pytest.raises(ValueError, match="opt_level"):
        tessera.compile(mlp.onnx, opt_level=7)


def test_explain(mlp_compiled):
    info = mlp_compiled.explain()
    json.dumps(info)  # plain data
    assert info["target"]["requested"] == "auto"
    assert info["target"]["device"] == "cpu"
    assert isinstance(info["target"]["features"], list)
    stages = [p["stage"] for p in info["pipelines"]]
    assert stages == ["graph-to-linalg", "linalg-to-llvm"]
    assert "convert-graph-to-linalg" in info["pipelines"][0]["pipeline"]
    assert info["inputs"][0]["name"] == "input"
    assert info["inputs"][0]["dtype"] == "float32"
    assert info["placement"] == [] and info["predicted_costs"] == []
    # The MLP's Gemms are tiled: each decision names its op and ONNX node.
    tiles = info["tile_configs"]
    assert tiles, "expected tile configurations for the MLP's matmuls"
    matmuls = [t for t in tiles if t["op"] == "linalg.matmul"]
    assert matmuls and all(t["node"] for t in matmuls)
    for t in tiles:
        assert len(t["parallel"]) == len(t["reduction"]) == len(t["vector"])
    assert any("cost model" in note for note in info["notes"])


@pytest.mark.parametrize("kind", ["graph", "linalg", "device", "llvm"])
def test_emit_text(add_relu_model, kind):
    text = tessera.emit(add_relu_model, kind, shapes={"x": (2, 4),
                                                      "y": (2, 4)})
    assert isinstance(text, str)
    marker = {"graph": "tg.add", "linalg": "linalg.generic",
              "device": 'tdev.placement = #tdev.target<"cpu">',
              "llvm": "define"}[kind]
    assert marker in text


def test_emit_lib_is_an_artifact(tmp_path, mlp):
    data = tessera.emit(mlp.onnx, "lib")
    assert data[:4] == b"\x7fELF"
    path = tmp_path / "emitted.so"
    path.write_bytes(data)
    assert_close(tessera.load(path)(mlp.input), mlp.expected)


def test_concurrent_compiles(mlp):
    # Compiles release the GIL; two at once must not share state.
    from conftest import ModelDir
    cnn = ModelDir("cnn")
    results, errors = {}, []

    def work(model_dir):
        try:
            model = tessera.compile(model_dir.onnx)
            results[model_dir.name] = model(model_dir.input)
        except Exception as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(d,)) for d in (mlp, cnn)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    assert_close(results["mlp"], mlp.expected)
    assert_close(results["cnn"], cnn.expected)


def test_compile_graph_mlir_file(tmp_path, mlp):
    # Like tessera-compile, a .mlir path holds Graph-dialect IR.
    path = tmp_path / "mlp.mlir"
    path.write_text(tessera.emit(mlp.onnx, "graph"))
    model = tessera.compile(path)
    assert_close(model(mlp.input), mlp.expected)
