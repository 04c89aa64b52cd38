"""Artifacts across Python and the CLI: save → tessera.load, save → tessera-run,
tessera-compile → tessera.load."""

import os
import subprocess

import numpy as np
import pytest

import tessera
from conftest import assert_close, tool


def test_save_then_load(tmp_path, e2e_model):
    model = tessera.compile(e2e_model.onnx)
    path = tmp_path / f"{e2e_model.name}.so"
    assert model.save(path) == str(path)
    assert path.read_bytes()[:4] == b"\x7fELF"
    loaded = tessera.load(path)
    assert loaded.inputs == model.inputs
    assert loaded.outputs == model.outputs
    assert_close(loaded(e2e_model.input), e2e_model.expected)
    # The same artifact on the same input gives bit-identical outputs.
    np.testing.assert_array_equal(loaded(e2e_model.input),
                                  model(e2e_model.input))
    # A loaded model saves as well (a plain copy of its file).
    again = loaded.save(tmp_path / "again.so")
    assert_close(tessera.load(again)(e2e_model.input), e2e_model.expected)


def test_save_is_same_artifact_as_model(tmp_path, mlp_compiled):
    path = mlp_compiled.save(tmp_path / "mlp.so")
    with open(mlp_compiled.path, "rb") as a, open(path, "rb") as b:
        assert a.read() == b.read()


def test_saved_artifact_runs_in_tessera_run(tmp_path, e2e_model):
    model = tessera.compile(e2e_model.onnx)
    artifact = model.save(tmp_path / "model.so")
    out = tmp_path / "out"
    input_name = model.inputs[0].name
    result = subprocess.run(
        [tool("tessera-run"), artifact,
         "--input", f"{input_name}={os.path.join(e2e_model.dir, 'input_0.npy')}",
         "--output-dir", str(out)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    actual = np.load(out / "output_0.npy")
    assert_close(actual, e2e_model.expected)
    np.testing.assert_array_equal(actual, model(e2e_model.input))


def test_load_cli_artifact(tmp_path, e2e_model):
    artifact = tmp_path / "cli.so"
    result = subprocess.run(
        [tool("tessera-compile"), e2e_model.onnx, "-o", str(artifact)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    model = tessera.load(str(artifact))
    assert model.path == str(artifact)
    assert_close(model(e2e_model.input), e2e_model.expected)
    assert_close(model.run({model.inputs[0].name: e2e_model.input})[0],
                 e2e_model.expected)
    info = model.explain()
    assert info["target"]["device"] == "cpu"
    assert info["pipelines"] == []
    assert info["placement"] == []


def test_load_threads_option(tmp_path, mlp_compiled, mlp):
    path = mlp_compiled.save(tmp_path / "mlp.so")
    model = tessera.load(path, threads=2)
    tessera.set_num_threads(1)
    assert_close(model(mlp.input), mlp.expected)
    assert tessera.get_num_threads() == 2
    tessera.set_num_threads(1)


def test_overwrite_saved_artifact_while_loaded(tmp_path, mlp_compiled, mlp,
                                               two_output_model):
    path = tmp_path / "model.so"
    mlp_compiled.save(path)
    loaded = tessera.load(path)
    # Replacing the file must not disturb the model already loaded from it.
    tessera.compile(two_output_model).save(path)
    assert_close(loaded(mlp.input), mlp.expected)
