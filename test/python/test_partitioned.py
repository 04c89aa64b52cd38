"""A model partitioned over cpu and vulkan (a plan plus one library per
segment, runtime/Plan.h) loads, runs and saves through the Python package
like any artifact. Needs a Vulkan device (lavapipe in CI)."""

import json
import os
import subprocess

import numpy as np
import pytest

import tessera
from conftest import assert_close, tool


@pytest.fixture(scope="module")
def cnn_plan(tmp_path_factory):
    """The cnn model with its dispatches alternating over cpu and vulkan."""
    from conftest import ModelDir
    run = tool("tessera-run")
    devices = subprocess.run([run, "--list-devices"], capture_output=True, text=True).stdout
    if not any(line.startswith("vulkan ") for line in devices.splitlines()):
        pytest.skip("no Vulkan device")
    model = ModelDir("cnn")
    compiler = tool("tessera-compile")
    folder = tmp_path_factory.mktemp("plan")
    placed = subprocess.run([compiler, model.onnx, "--target=cpu,vulkan", "--emit=device",
                             "-o", "-"], capture_output=True, text=True, check=True).stdout
    names = [line.split('name("')[1].split('")')[0] for line in placed.splitlines()
             if "tdev.dispatch" in line and 'name("' in line]
    placement = folder / "placement.json"
    placement.write_text(json.dumps(
        {"dispatches": {n: ("cpu", "vulkan")[i % 2] for i, n in enumerate(names)}}))
    plan = folder / "cnn.plan"
    subprocess.run([compiler, model.onnx, "--target=cpu,vulkan",
                    f"--placement={placement}", "-o", str(plan)], check=True)
    return model, plan


def test_plan_loads_and_runs(cnn_plan):
    model, plan = cnn_plan
    loaded = tessera.load(plan)
    assert_close(loaded(model.input), model.expected)
    assert loaded.target["device"] == "plan"


def test_plan_saves_with_its_segments(cnn_plan, tmp_path):
    model, plan = cnn_plan
    saved = tessera.load(plan).save(tmp_path / "copy.plan")
    segments = sorted(f for f in os.listdir(tmp_path) if f.startswith("copy.seg"))
    assert segments and all(f.endswith((".cpu.so", ".vulkan.so")) for f in segments)
    with open(saved) as f:
        listed = [line.split()[2] for line in f if line.startswith("segment ")]
    assert sorted(listed) == segments
    assert_close(tessera.load(saved)(model.input), model.expected)
